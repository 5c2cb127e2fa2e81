// An in-memory durable execution service that keeps a whole history and can kill an
// invocation at a chosen checkpoint call, for tests that resume executions at random
// boundaries (tests/js/durable-resume.test.mjs).
//
// It speaks the `durableExecutionClient` interface both SDKs accept
// (`checkpoint(input)`, `getExecutionState(input)`), applies updates as the service
// does (START / SUCCEED / FAIL / RETRY on STEP, CONTEXT, WAIT, EXECUTION), and logs every
// applied update with a sequence number, so a test can ask in which order things were
// recorded. A killed invocation is a Lambda that died: the cut call (applied or not) and
// every later call of that invocation never answer, and nothing of it is recorded.
import { createHash } from "node:crypto";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:resume:$LATEST/durable-execution/run/exec-1";

/** The wire Id of a raw operation id, as both SDKs derive it. */
export const hashId = (raw) => createHash("md5").update(raw).digest("hex").slice(0, 16);

const never = () => new Promise(() => {});

export class HistoryService {
  constructor(input = {}) {
    this.arn = ARN;
    this.executionId = ARN.slice(ARN.lastIndexOf("/") + 1);
    this.token = "tok-0";
    this.seq = 0;
    /** Every applied update, in order: `{ seq, invocation, update }`. */
    this.log = [];
    /** Operations by Id, in the service's GetDurableExecutionState shape. */
    this.ops = new Map();
    this.violations = [];
    this.invocation = 0;
    this.ops.set(this.executionId, {
      Id: this.executionId,
      Type: "EXECUTION",
      Status: "STARTED",
      StartTimestamp: new Date(),
      ExecutionDetails: { InputPayload: JSON.stringify(input) },
    });
  }

  /**
   * Begins invocation k: returns its event and its client. With `cut = { call, apply }`,
   * its `call`-th checkpoint kills it (recorded first if `apply`); `killed` resolves then.
   */
  begin(cut) {
    const invocation = ++this.invocation;
    // What elapsed while the execution was suspended: every wait's timer.
    for (const op of this.ops.values()) if (op.Type === "WAIT" && op.Status === "STARTED") this.#finish(op, "SUCCEEDED");
    let calls = 0;
    let dead = false;
    let kill;
    const killed = new Promise((resolve) => (kill = resolve));
    const client = {
      checkpoint: async (input) => {
        if (dead) return never();
        calls++;
        const cutHere = cut !== undefined && calls === cut.call;
        if (cutHere) {
          dead = true;
          if (cut.apply) this.#apply(input, invocation);
          kill();
          return never();
        }
        // A round trip's worth of time, so several updates can gather.
        await new Promise((r) => setTimeout(r, 1));
        if (dead) return never();
        return this.#apply(input, invocation);
      },
      getExecutionState: async () => {
        if (dead) return never();
        return { Operations: this.#snapshot() };
      },
    };
    const event = {
      DurableExecutionArn: this.arn,
      CheckpointToken: this.token,
      InitialExecutionState: { Operations: this.#snapshot() },
    };
    return { event, client, killed, calls: () => calls };
  }

  /** The operations as the service hands them out (copies). */
  #snapshot() {
    return [...this.ops.values()].map((op) => structuredClone(op));
  }

  #apply(input, invocation) {
    if (input.CheckpointToken !== this.token) {
      this.violations.push(`stale token ${input.CheckpointToken} (expected ${this.token})`);
      throw Object.assign(new Error("Invalid checkpoint token"), { name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
    }
    const changed = [];
    for (const u of input.Updates ?? []) {
      this.log.push({ seq: ++this.seq, invocation, update: structuredClone(u) });
      const op = this.#update(u);
      if (op) changed.push(structuredClone(op));
    }
    this.token = `tok-${this.seq}-${invocation}`;
    return { CheckpointToken: this.token, NewExecutionState: { Operations: changed } };
  }

  #finish(op, status) {
    op.Status = status;
    op.EndTimestamp = new Date();
  }

  #update(u) {
    if (u.Type === "EXECUTION") {
      const op = this.ops.get(this.executionId);
      if (u.Action === "SUCCEED") this.#finish(op, "SUCCEEDED");
      if (u.Action === "FAIL") this.#finish(op, "FAILED");
      return op;
    }
    let op = this.ops.get(u.Id);
    if (u.Action === "START" || op === undefined) {
      if (op !== undefined) {
        this.violations.push(`${u.Id} started twice`);
        return op;
      }
      if (u.Action !== "START" && !(u.Type === "STEP" && (u.Action === "SUCCEED" || u.Action === "FAIL"))) {
        this.violations.push(`${u.Action} of unknown ${u.Id}`);
      }
      if (u.ParentId !== undefined && !this.ops.has(u.ParentId)) this.violations.push(`${u.Id} before its parent ${u.ParentId}`);
      op = { Id: u.Id, Type: u.Type, Status: "STARTED", StartTimestamp: new Date() };
      if (u.ParentId !== undefined) op.ParentId = u.ParentId;
      if (u.Name !== undefined) op.Name = u.Name;
      if (u.SubType !== undefined) op.SubType = u.SubType;
      if (u.Type === "STEP") op.StepDetails = { Attempt: 1 };
      if (u.Type === "WAIT") op.WaitDetails = { ScheduledEndTimestamp: new Date(Date.now() + 1000 * (u.WaitOptions?.WaitSeconds ?? 0)) };
      this.ops.set(u.Id, op);
      if (u.Action === "START") return op;
    }
    if (op.Status === "SUCCEEDED" || op.Status === "FAILED") {
      this.violations.push(`${u.Action} of ${u.Id}, already ${op.Status}`);
      return op;
    }
    const details = u.Type === "STEP" ? "StepDetails" : u.Type === "CONTEXT" ? "ContextDetails" : undefined;
    if (u.Action === "SUCCEED" || u.Action === "FAIL") {
      this.#finish(op, u.Action === "SUCCEED" ? "SUCCEEDED" : "FAILED");
      if (details) {
        op[details] = { ...op[details] };
        if (u.Payload !== undefined) op[details].Result = u.Payload;
        if (u.Error !== undefined) op[details].Error = u.Error;
        if (u.ContextOptions?.ReplayChildren) op[details].ReplayChildren = true;
      }
    } else if (u.Action === "RETRY") {
      op.Status = "PENDING";
      op.StepDetails = { ...op.StepDetails, Attempt: (op.StepDetails?.Attempt ?? 1) + 1, NextAttemptTimestamp: new Date() };
      if (u.Error !== undefined) op.StepDetails.Error = u.Error;
    } else {
      this.violations.push(`unexpected ${u.Action} of ${u.Id}`);
    }
    return op;
  }
}
