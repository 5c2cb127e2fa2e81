import { type RawTransport } from "./transport";
/** AWS credentials. */
export interface Credentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}
/** Options of {@link fetchTransport}. */
export interface FetchTransportOptions {
    /** Region; default `AWS_REGION` (set in every Lambda). */
    region?: string;
    /** Endpoint; default `https://lambda.{region}.amazonaws.com`. */
    endpoint?: string;
    /** Credentials or a provider of them; default the Lambda environment variables. */
    credentials?: Credentials | (() => Promise<Credentials>);
    /** The fetch to use; default the global one. */
    fetch?: typeof globalThis.fetch;
    /** Per-request timeout; default 30000 ms. A timeout is a TRANSIENT failure. */
    timeoutMs?: number;
}
/**
 * Checkpoints with `fetch` and SigV4.
 *
 * ```ts
 * const transport = fetchTransport({ region: "us-east-1" }); // credentials from the Lambda environment
 * ```
 */
export declare function fetchTransport(options?: FetchTransportOptions): RawTransport;
