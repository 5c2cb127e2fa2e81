/**
 * `context.wait`: WAIT/`Wait`. START `{WaitOptions.WaitSeconds}` is awaited (the
 * service answers with the scheduled end); then the wait is idle until awaited, and
 * the invocation suspends unless other work runs, in which case it polls at the end time.
 */
import { MAX_WAIT_SECONDS, wireSeconds } from "../duration";
import { OperationSubType } from "../enums";
import { DurablePromise } from "../promise";
import { toMs } from "../state";
import type { Duration } from "../duration";
import type { ContextImpl } from "../context";

const SUBTYPE = OperationSubType.WAIT;

/** Starts a wait of `duration` in `ctx`. */
export function wait(ctx: ContextImpl, name: string | undefined, duration: Duration): DurablePromise<void> {
  const seconds = wireSeconds(duration, "wait duration", 1, MAX_WAIT_SECONDS);
  const state = ctx.state;
  const raw = ctx.nextId();
  const parent = ctx.parentRaw;
  let done = false;
  const phase1 = (async () => {
    let op = state.get(raw);
    ctx.checkReplay(raw, op, "WAIT", name, SUBTYPE);
    if (op?.Status === "SUCCEEDED") {
      ctx.checkAndUpdateReplayMode();
      state.mark(raw, "COMPLETED", { subType: SUBTYPE });
      done = true;
      return;
    }
    if (op === undefined) {
      await state.checkpoint(raw, parent, { Type: "WAIT", SubType: SUBTYPE, Action: "START", Name: name, WaitOptions: { WaitSeconds: seconds } });
      op = state.get(raw);
    }
    state.mark(raw, "IDLE_NOT_AWAITED", { subType: SUBTYPE, endMs: toMs(op?.WaitDetails?.ScheduledEndTimestamp) });
  })();
  phase1.catch(() => {});
  return new DurablePromise(async () => {
    await phase1;
    if (done) return;
    state.awaited(raw);
    await state.waitForChange(raw);
    if (state.get(raw)?.Status === "SUCCEEDED") {
      ctx.checkAndUpdateReplayMode();
      state.mark(raw, "COMPLETED");
    }
  });
}
