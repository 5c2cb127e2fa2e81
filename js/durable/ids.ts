/**
 * Operation Ids, as the official SDK puts them on the wire: each context counts its
 * operations from 1, a child's raw id is `<parent raw id>-<n>`, and the wire Id is
 * the first 16 hex characters of the MD5 of the raw id. Executions resume across the
 * two SDKs only if these agree byte for byte.
 */
import { nodeCrypto } from "../core/node-crypto";

let md5: ((raw: string) => string) | undefined;

/**
 * MD5 as hex. `crypto.hash` (Node ≥ 20.12) is the one-shot form: 3-6× faster per id than
 * a `Hash` object in a fresh process, which matters at one id per operation.
 */
function md5Of(raw: string): string {
  if (md5 === undefined) {
    const c = nodeCrypto();
    md5 = typeof c.hash === "function" ? (r) => c.hash("md5", r, "hex") : (r) => c.createHash("md5").update(r).digest("hex");
  }
  return md5(raw);
}

const cache = new Map<string, string>();
// Bounded: map-heavy executions mint many ids; clearing beats growing without end.
const CACHE_LIMIT = 10_000;

/** The wire Id of the raw id `raw` (`"1"` → `c4ca4238a0b92382`). */
export function hashId(raw: string): string {
  let h = cache.get(raw);
  if (h === undefined) {
    h = md5Of(raw).slice(0, 16);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(raw, h);
  }
  return h;
}

/** The raw id of the context holding `raw`, or undefined at the root. */
export function parentOf(raw: string): string | undefined {
  const i = raw.lastIndexOf("-");
  return i > 0 ? raw.slice(0, i) : undefined;
}
