"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.lambdaClientTransport = lambdaClientTransport;
let commands;
function load() {
    if (commands === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            commands = require("@aws-sdk/client-lambda");
        }
        catch (e) {
            throw new Error("lambdaClientTransport needs @aws-sdk/client-lambda: npm install @aws-sdk/client-lambda", { cause: e });
        }
    }
    return commands;
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
function lambdaClientTransport(client) {
    if (typeof client !== "object" || client === null || typeof client.send !== "function") {
        throw new TypeError("lambdaClientTransport needs a client with a send(command) method, e.g. new LambdaClient({})");
    }
    const c = load();
    return {
        async checkpoint(input) {
            return (await client.send(new c.CheckpointDurableExecutionCommand(input)));
        },
        async getExecutionState(input) {
            return (await client.send(new c.GetDurableExecutionStateCommand(input)));
        },
    };
}
