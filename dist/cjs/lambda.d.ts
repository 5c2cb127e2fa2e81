/** A transport over `@aws-sdk/client-lambda` (an optional peer, loaded only here). */
import type { Transport } from "./types";
/** Anything with the `send(command)` of an AWS SDK v3 client, e.g. a `LambdaClient`. */
export interface LambdaClientLike {
    send(command: unknown, options?: unknown): Promise<unknown>;
}
/**
 * Checkpoints through a `LambdaClient` with `CheckpointDurableExecutionCommand` and
 * reads state pages with `GetDurableExecutionStateCommand`.
 *
 * ```ts
 * import { LambdaClient } from "@aws-sdk/client-lambda";
 * const transport = lambdaClientTransport(new LambdaClient({}));
 * ```
 */
export declare function lambdaClientTransport(client: LambdaClientLike): Transport;
