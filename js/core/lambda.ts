/** A transport over `@aws-sdk/client-lambda` (an optional peer, loaded only here). */
import type {
  CheckpointDurableExecutionInput,
  CheckpointDurableExecutionOutput,
  GetDurableExecutionStateInput,
  GetDurableExecutionStateOutput,
  Transport,
} from "./types";

/** Anything with the `send(command)` of an AWS SDK v3 client, e.g. a `LambdaClient`. */
export interface LambdaClientLike {
  send(command: unknown, options?: unknown): Promise<unknown>;
}

interface Commands {
  CheckpointDurableExecutionCommand: new (input: CheckpointDurableExecutionInput) => unknown;
  GetDurableExecutionStateCommand: new (input: GetDurableExecutionStateInput) => unknown;
}

let commands: Commands | undefined;

function load(): Commands {
  if (commands === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      commands = require("@aws-sdk/client-lambda") as Commands;
    } catch (e) {
      throw new Error(
        "lambdaClientTransport needs @aws-sdk/client-lambda: npm install @aws-sdk/client-lambda",
        { cause: e },
      );
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
export function lambdaClientTransport(client: LambdaClientLike): Transport {
  if (typeof client !== "object" || client === null || typeof client.send !== "function") {
    throw new TypeError("lambdaClientTransport needs a client with a send(command) method, e.g. new LambdaClient({})");
  }
  const c = load();
  return {
    async checkpoint(input) {
      return (await client.send(new c.CheckpointDurableExecutionCommand(input))) as CheckpointDurableExecutionOutput;
    },
    async getExecutionState(input) {
      return (await client.send(new c.GetDurableExecutionStateCommand(input))) as GetDurableExecutionStateOutput;
    },
  };
}
