// The operation-level (whole BatchResult) serdes of 9-19 and 9-20: a map of strings is stored as
// "OPSERDE:" + the successful results joined by commas, and read back as a batch-result-like value
// (every item succeeded, in order), which is all this serdes can carry.
const PREFIX = "OPSERDE:";

/** The successful results of a batch result, or of what deserialize gave back. */
export const results = (batch) =>
  typeof batch?.getResults === "function" ? batch.getResults() : (batch?.all ?? []).filter((i) => i.status === "SUCCEEDED").map((i) => i.result);

function restored(values) {
  const all = values.map((result, index) => ({ result, index, status: "SUCCEEDED" }));
  return {
    all,
    status: "SUCCEEDED",
    completionReason: "ALL_COMPLETED",
    hasFailure: false,
    successCount: all.length,
    failureCount: 0,
    startedCount: 0,
    totalCount: all.length,
    getResults: () => values.slice(),
    getErrors: () => [],
    succeeded: () => all.slice(),
    failed: () => [],
    started: () => [],
    throwIfError() {},
  };
}

export const opSerdes = {
  serialize: async (batch) => (batch === undefined ? undefined : `${PREFIX}${results(batch).join(",")}`),
  deserialize: async (data) => {
    if (data === undefined) return undefined;
    if (!data.startsWith(PREFIX)) throw new Error(`op-serde: not an ${PREFIX} payload: ${data.slice(0, 40)}`);
    const body = data.slice(PREFIX.length);
    return restored(body === "" ? [] : body.split(","));
  },
};
