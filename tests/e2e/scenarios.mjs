// Handler-level scenarios, shared by the emulator suite and the official testing
// runner suite. Each body gets the examples' Durable helper and the context.
const range = (k) => Array.from({ length: k }, (_, i) => i);

export const sequential = {
  name: "200 sequential steps",
  steps: range(200).map((i) => `s${i}`),
  result: (199 * 200) / 2,
  async body(d) {
    let sum = 0;
    for (const i of range(200)) sum += await d.step(`s${i}`, () => i);
    return sum;
  },
};

export const nested = {
  name: "child contexts nested 4 deep",
  steps: ["step1", "step2", "step3", "step4"],
  contexts: ["ctx1", "ctx2", "ctx3", "ctx4"],
  result: "leaf",
  body(d) {
    const level = (depth, parentId) =>
      d.child(
        `ctx${depth}`,
        async (id) => {
          await d.step(`step${depth}`, () => depth, { parentId: id });
          return depth < 4 ? level(depth + 1, id) : "leaf";
        },
        parentId ? { parentId } : {},
      );
    return level(1);
  },
};

export const fanOut = {
  name: "a fan-out of 1000 concurrent operations",
  steps: range(1000).map((i) => `item-${i}`),
  contexts: ["fan"],
  result: 1000,
  body: (d) =>
    d.child("fan", async (parentId) => (await Promise.all(range(1000).map((i) => d.step(`item-${i}`, () => i % 7, { parentId })))).length, {
      subType: "Map",
    }),
};

const big = "p".repeat(200_000);
export const payloads = {
  name: "payloads that fill batches to the 750 KiB limit",
  steps: range(12).map((i) => `big-${i}`),
  result: 12,
  body: async (d) => (await Promise.all(range(12).map((i) => d.step(`big-${i}`, () => `${i}${big}`)))).length,
};

/** 150 steps, a wait that suspends the invocation, then one more step. */
export function waitAndResume(waitSeconds) {
  const ran = new Map();
  return {
    name: "a wait that suspends and resumes",
    steps: [...range(150).map((i) => `before-${i}`), "after"],
    waits: ["pause"],
    result: "resumed",
    ran,
    async body(d) {
      for (const i of range(150)) await d.step(`before-${i}`, () => { ran.set(i, (ran.get(i) ?? 0) + 1); return i; });
      await d.wait("pause", waitSeconds);
      return d.step("after", () => "resumed");
    },
  };
}

export const bigResult = {
  name: "a result over 6 MiB",
  result: "r".repeat(7 * 1024 * 1024),
  body: async () => "r".repeat(7 * 1024 * 1024),
};
