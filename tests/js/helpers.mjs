// Shared helpers for the node:test suites. They use the built package by its name.
import { CheckpointBatcher } from "durable-checkpoint";

/** A fake service: chains tokens t1, t2...; `reply(input, n)` may override an answer. */
export function fakeTransport(reply) {
  const calls = [];
  const t = {
    calls,
    async checkpoint(input) {
      const n = calls.length + 1;
      calls.push({ at: performance.now(), input: structuredClone(input) });
      const r = reply ? await reply(input, n) : undefined;
      return r ?? { CheckpointToken: `t${n}`, NewExecutionState: { Operations: [] } };
    },
  };
  return t;
}

export function batcher(transport, options = {}) {
  return new CheckpointBatcher({
    durableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/run/abc",
    checkpointToken: "tok0",
    transport,
    ...options,
  });
}

export const step = (Id, Action = "START", extra = {}) => ({ Id, Type: "STEP", Action, ...extra });

export function httpError(status, name, message, extra = {}) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, ...extra });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
