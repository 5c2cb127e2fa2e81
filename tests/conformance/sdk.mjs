// The SDK indirection of the conformance harness: a handler module never imports an
// SDK itself; it gets one from here (through scripts/conformance.mjs), so the same
// handlers run against the official SDK and against this package.
//   "official" -> @aws/durable-execution-sdk-js (dev dependency, 2.4.0)
//   "ours"     -> durable-checkpoint (this package, by self-reference: needs dist/)
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const PACKAGES = {
  official: "@aws/durable-execution-sdk-js",
  ours: "durable-checkpoint",
};

/** The SDK module named `name`; throws if it cannot be loaded. */
export function load(name) {
  const pkg = PACKAGES[name];
  if (!pkg) throw new Error(`unknown SDK "${name}" (one of ${Object.keys(PACKAGES).join(", ")})`);
  return require(pkg);
}

/**
 * `{ sdk }` when `name` loads and has the API the handlers use, else `{ reason }`.
 * A missing API is a normal answer, not an error: "ours" has no
 * withDurableExecution until the DurableContext API lands.
 */
export function available(name) {
  let mod;
  try {
    mod = load(name);
  } catch (e) {
    return { reason: `cannot load ${PACKAGES[name] ?? name}: ${String(e?.message ?? e).split("\n")[0]}` };
  }
  if (typeof mod?.withDurableExecution !== "function") {
    return { reason: `${PACKAGES[name]} has no withDurableExecution` };
  }
  return { sdk: mod };
}
