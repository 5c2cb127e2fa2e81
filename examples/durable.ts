/**
 * A small durable-function layer over the batcher, for the examples: steps, child
 * contexts and waits that replay from the recorded operations. (A real SDK adds
 * retries, callbacks, invokes and deterministic Ids; this shows the checkpoint core.)
 */
import { suspend, type CheckpointContext, type OperationUpdate } from "durable-checkpoint";

export interface Placement {
  /** The enclosing child context. */
  parentId?: string;
  /** A name for the history; default the Id. */
  name?: string;
}

function decode<T>(payload: string | undefined): T {
  return (payload === undefined ? undefined : JSON.parse(payload)) as T;
}

export class Durable<I> {
  constructor(readonly ctx: CheckpointContext<I>) {}

  get input(): I {
    return this.ctx.input;
  }

  /** Runs `fn` once; on replay returns the recorded result. */
  async step<T>(id: string, fn: () => T | Promise<T>, at: Placement = {}): Promise<T> {
    const op = this.ctx.operations.get(id);
    if (op?.Status === "SUCCEEDED") return decode<T>(op.StepDetails?.Result);
    const base = { Id: id, ParentId: at.parentId, Name: at.name ?? id, Type: "STEP", SubType: "Step" } as const;
    // START is fire-and-forget: it rides in the same call as the SUCCEED when the body is quick.
    if (!op) this.ctx.batcher.checkpointAsync({ ...base, Action: "START" });
    const value = await fn();
    await this.ctx.batcher.checkpoint({ ...base, Action: "SUCCEED", Payload: JSON.stringify(value) });
    return value;
  }

  /** Runs `fn` inside a child context whose operations have it as parent. */
  async child<T>(id: string, fn: (parentId: string) => Promise<T>, at: Placement & { subType?: string } = {}): Promise<T> {
    const op = this.ctx.operations.get(id);
    if (op?.Status === "SUCCEEDED") return decode<T>(op.ContextDetails?.Result);
    const base = {
      Id: id,
      ParentId: at.parentId,
      Name: at.name ?? id,
      Type: "CONTEXT",
      SubType: at.subType ?? "RunInChildContext",
    } as const;
    if (!op) this.ctx.batcher.checkpointAsync({ ...base, Action: "START" });
    const value = await fn(id);
    // Fire-and-forget, like the official SDK: its children are already durable, so the
    // completion can ride with the next call (or the final flush) instead of costing one.
    this.ctx.batcher.checkpointAsync({ ...base, Action: "SUCCEED", Payload: JSON.stringify(value) });
    return value;
  }

  /** Waits `seconds` without running: checkpoints the WAIT and suspends the invocation. */
  async wait(id: string, seconds: number, at: Placement = {}): Promise<void> {
    const op = this.ctx.operations.get(id);
    if (op?.Status === "SUCCEEDED") return;
    if (!op) {
      const update: OperationUpdate = {
        Id: id,
        ParentId: at.parentId,
        Name: at.name ?? id,
        Type: "WAIT",
        SubType: "Wait",
        Action: "START",
        WaitOptions: { WaitSeconds: seconds },
      };
      await this.ctx.batcher.checkpoint(update);
    }
    suspend();
  }
}
