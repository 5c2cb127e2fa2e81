// The floor: the same checkpoints sent straight to the service, one call per awaited
// point, no queue, no ordering, no validation, no retries. What a step costs when
// nothing but the round trip is paid.
const range = (k) => Array.from({ length: k }, (_, i) => i);
const tick = () => new Promise((r) => setTimeout(r, 1));
const payload = "x".repeat(10_000);

function direct(service) {
  let token = service.token;
  let n = 0;
  return async (updates) => {
    const res = await service.client.checkpoint({ DurableExecutionArn: service.arn, CheckpointToken: token, Updates: updates, ClientToken: `c${++n}` });
    token = res.CheckpointToken;
  };
}

const step = (Id, Payload, ParentId) => [
  { Id, ParentId, Type: "STEP", Action: "START" },
  { Id, ParentId, Type: "STEP", Action: "SUCCEED", Payload },
];

export const workloads = {
  sequential1000: async (s) => { const send = direct(s); for (const i of range(1000)) await send(step(`s${i}`, String(i))); },
  timer200: async (s) => { const send = direct(s); for (const i of range(200)) { await tick(); await send(step(`t${i}`, String(i))); } },
  fanout1000: async (s) => {
    const send = direct(s);
    await send([{ Id: "fan", Type: "CONTEXT", Action: "START" }, ...range(1000).flatMap((i) => step(`f${i}`, String(i), "fan"))]);
    await send([{ Id: "fan", Type: "CONTEXT", Action: "SUCCEED" }]);
  },
  fanout1000c50: async (s) => {
    const send = direct(s);
    await send([{ Id: "fan", Type: "CONTEXT", Action: "START" }, ...range(1000).flatMap((i) => step(`f${i}`, String(i), "fan"))]);
    await send([{ Id: "fan", Type: "CONTEXT", Action: "SUCCEED" }]);
  },
  contexts100x5: async (s) => {
    const send = direct(s);
    for (const c of range(100)) {
      await send([{ Id: `c${c}`, Type: "CONTEXT", Action: "START" }, ...step(`c${c}-s0`, "0", `c${c}`)]);
      for (const i of range(1, 5)) await send(step(`c${c}-s${i}`, String(i), `c${c}`));
      await send([{ Id: `c${c}`, Type: "CONTEXT", Action: "SUCCEED" }]);
    }
  },
  payload200x10k: async (s) => { const send = direct(s); for (const i of range(200)) await send(step(`p${i}`, JSON.stringify(payload))); },
};
