/**
 * The demo workflow as a deployable Lambda handler (see template.yaml). In Lambda the
 * default transport is `lambdaClientTransport(new LambdaClient({}))`.
 */
import { orderWorkflow } from "./order-workflow";

export const handler = orderWorkflow({
  onBatch: (info) => console.log(JSON.stringify({ checkpoint: info })),
  onError: (error) => console.error(JSON.stringify({ checkpointError: error.code, scope: error.scope })),
});
