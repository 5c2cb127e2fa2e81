// The fake durable execution service every benchmark contender talks to: in memory,
// a fixed latency per call, token chaining, the SPEC §3 ordering checks (parent context
// started before a child, EXECUTION completion last, no Id twice in one call except
// START + completion), and counters of calls, updates and bytes.
import { setTimeout as sleep } from "node:timers/promises";

export class FakeService {
  constructor({ latencyMs = 0, arn = "arn:aws:lambda:us-east-1:123456789012:function:bench/durable-execution/run/exec-1" } = {}) {
    this.latencyMs = latencyMs;
    this.arn = arn;
    this.token = "tok-0";
    this.seq = 0;
    this.calls = 0;
    this.updates = 0;
    this.bytes = 0;
    this.started = new Set(); // operations known to the service
    this.contexts = new Set(); // CONTEXT operations started
    this.violations = [];
    const self = this;
    /** A client with the @aws-sdk/client-lambda command shapes. */
    this.client = {
      checkpoint: (input) => self.checkpoint(input),
      getExecutionState: async () => ({ Operations: [] }),
    };
  }

  /** The invocation event: a fresh execution with `input`. */
  event(input) {
    const id = this.arn.slice(this.arn.lastIndexOf("/") + 1);
    return {
      DurableExecutionArn: this.arn,
      CheckpointToken: this.token,
      InitialExecutionState: {
        Operations: [
          { Id: id, Type: "EXECUTION", Status: "STARTED", StartTimestamp: new Date(), ExecutionDetails: { InputPayload: JSON.stringify(input ?? {}) } },
        ],
      },
    };
  }

  async checkpoint(input) {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (input.CheckpointToken !== this.token) this.violations.push(`stale token ${input.CheckpointToken}`);
    const updates = input.Updates ?? [];
    // Opt-in: the replay workload builds invocation 2's history from what it saw.
    if (this.record) this.record.push(...updates);
    this.calls++;
    this.updates += updates.length;
    this.bytes += Buffer.byteLength(JSON.stringify({ CheckpointToken: input.CheckpointToken, Updates: updates, ClientToken: input.ClientToken }));
    const inCall = new Map();
    updates.forEach((u, i) => {
      const seen = inCall.get(u.Id) ?? [];
      if (seen.length > 0 && !(seen.length === 1 && seen[0] === "START" && u.Action !== "START")) this.violations.push(`Id ${u.Id} twice in one call`);
      seen.push(u.Action);
      inCall.set(u.Id, seen);
      if (u.ParentId && !this.contexts.has(u.ParentId)) this.violations.push(`${u.Id} before its parent ${u.ParentId}`);
      if (u.Type === "EXECUTION" && u.Action !== "START" && i !== updates.length - 1) this.violations.push("EXECUTION completion not last");
      if (u.Type === "CONTEXT" && u.Action === "START") this.contexts.add(u.Id);
      this.started.add(u.Id);
    });
    this.token = `tok-${++this.seq}`;
    return { CheckpointToken: this.token, NewExecutionState: { Operations: [] } };
  }
}
