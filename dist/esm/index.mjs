import cjs from "../cjs/index.js";
export const { CheckpointBatcher, CheckpointError, MAX_INLINE_RESULT_BYTES, SuspendSignal, fetchTransport, lambdaClientTransport, sortUpdates, suspend, withDurableCheckpoints } = cjs;
