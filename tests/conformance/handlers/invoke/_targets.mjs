// Chained-invoke targets of the invoke suite: durable functions (the emulator starts
// a child durable execution for each), registered by the harness under these names
// (and declared to the emulator with --function-configs) when a handler module lists
// them in its `targets` export.
export const ECHO = "conformance-echo";
export const ECHO_2 = "conformance-echo-2";
export const FAIL = "conformance-fail";
export const SIZE = "conformance-size";

// A target answers after LATENCY_MS, as a real (cold) Lambda would: an in-process target
// that completes in a millisecond finishes the child execution before the caller's own
// invocation has returned, and the emulator then records ChainedInvokeSucceeded before
// the caller's InvocationCompleted, an order the service never produces.
export const LATENCY_MS = 300;
const slow = (fn) => async (event, ctx) => {
  await new Promise((r) => setTimeout(r, LATENCY_MS));
  return fn(event, ctx);
};
const echo = (sdk) => slow(sdk.withDurableExecution(async (event) => event));
export const TARGETS = {
  [ECHO]: echo,
  [ECHO_2]: echo,
  [FAIL]: (sdk) =>
    slow(
      sdk.withDurableExecution(async () => {
        throw new Error("target failed");
      }),
    ),
  [SIZE]: (sdk) => slow(sdk.withDurableExecution(async (event) => ({ received: JSON.stringify(event ?? null).length }))),
};
export const pick = (...names) => Object.fromEntries(names.map((n) => [n, TARGETS[n]]));
