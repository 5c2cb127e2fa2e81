/**
 * An order-processing durable function: each step is checkpointed (START
 * fire-and-forget, SUCCEED awaited), items fan out inside a child context, and a wait
 * suspends the invocation until the service re-invokes it.
 *
 * Deploy behind Lambda with `export const handler = makeHandler()`; tests pass a transport.
 */
import {
  withDurableCheckpoints,
  suspend,
  CheckpointError,
  type CheckpointBatcher,
  type CheckpointContext,
  type Operation,
  type Transport,
} from "durable-checkpoint";

interface Order {
  orderId: string;
  items: string[];
}

/** Runs `fn` once: replays the recorded result if the operation already succeeded. */
async function step<T>(
  ctx: CheckpointContext<Order>,
  id: string,
  fn: () => Promise<T> | T,
  parentId?: string,
): Promise<T> {
  const done: Operation | undefined = ctx.operations.get(id);
  if (done?.Status === "SUCCEEDED") return JSON.parse(done.StepDetails?.Result ?? "null") as T;
  const b: CheckpointBatcher = ctx.batcher;
  b.checkpointAsync({ Id: id, ParentId: parentId, Type: "STEP", SubType: "Step", Action: "START" });
  const value = await fn();
  await b.checkpoint({
    Id: id,
    ParentId: parentId,
    Type: "STEP",
    SubType: "Step",
    Action: "SUCCEED",
    Payload: JSON.stringify(value),
  });
  return value;
}

export function makeHandler(transport?: Transport) {
  return withDurableCheckpoints<Order, { orderId: string; reserved: number }>(
    async (ctx) => {
      const order = ctx.input;
      await step(ctx, "validate", () => order.items.length > 0);

      // Fan out inside a child context: all item steps go in one batch.
      ctx.batcher.checkpointAsync({ Id: "reserve", Type: "CONTEXT", SubType: "Map", Action: "START" });
      const reserved = await Promise.all(
        order.items.map((item, i) => step(ctx, `reserve-${i}`, () => item.length, "reserve")),
      );
      await ctx.batcher.checkpoint({ Id: "reserve", Type: "CONTEXT", SubType: "Map", Action: "SUCCEED" });

      // Wait a minute for payment: suspend now, resume when the service re-invokes.
      const wait = ctx.operations.get("await-payment");
      if (wait?.Status !== "SUCCEEDED") {
        if (!wait) {
          await ctx.batcher.checkpoint({
            Id: "await-payment",
            Type: "WAIT",
            SubType: "Wait",
            Action: "START",
            WaitOptions: { WaitSeconds: 60 },
          });
        }
        suspend();
      }
      try {
        await step(ctx, "ship", () => true);
      } catch (e) {
        if (e instanceof CheckpointError && e.scope === "EXECUTION") console.error("cannot record shipping", e.code);
        throw e;
      }
      return { orderId: order.orderId, reserved: reserved.reduce((a, b) => a + b, 0) };
    },
    transport ? { transport } : {},
  );
}
