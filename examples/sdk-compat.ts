/**
 * Type check only: the package's wire types are assignable to and from
 * `@aws-sdk/client-lambda`'s, in both directions.
 */
import type * as sdk from "@aws-sdk/client-lambda";
import type * as ours from "durable-checkpoint";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<ours.OperationUpdate, sdk.OperationUpdate>,
  Same<ours.Operation, sdk.Operation>,
  Same<ours.ErrorObject, sdk.ErrorObject>,
  Same<ours.CheckpointDurableExecutionInput, sdk.CheckpointDurableExecutionCommandInput>,
  Same<ours.CheckpointDurableExecutionOutput, Omit<sdk.CheckpointDurableExecutionCommandOutput, "$metadata">>,
  Same<ours.GetDurableExecutionStateInput, sdk.GetDurableExecutionStateCommandInput>,
  Same<ours.GetDurableExecutionStateOutput, Omit<sdk.GetDurableExecutionStateCommandOutput, "$metadata">>,
] = [true, true, true, true, true, true, true];
export default checks;
