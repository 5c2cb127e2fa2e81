/**
 * node:crypto, on demand: the ClientTokens (SPEC §2: 1-64 printable ASCII, one per batch)
 * are its `randomUUID`, the durable layer's operation Ids its MD5, fetchTransport's SigV4
 * its SHA-256.
 *
 * It is loaded on the first event-loop turn after `require` (with the module's
 * background compile, see ./wasm), or by its first use if that comes sooner, not in the
 * `require` turn itself: it is ~3 ms of a process's start. In a Lambda that turn comes
 * during INIT, while the runtime waits for the first event.
 */
type NodeCrypto = typeof import("node:crypto");
let crypto: NodeCrypto | undefined;

/** node:crypto, loaded once. */
export function nodeCrypto(): NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (crypto ??= require("node:crypto") as NodeCrypto);
}

/**
 * A fresh ClientToken. node:crypto's, not the global Web Crypto one: `globalThis.crypto`
 * is a lazy getter that cost ~8 µs a batch in a fresh process.
 */
export function newClientToken(): string {
  return nodeCrypto().randomUUID();
}
