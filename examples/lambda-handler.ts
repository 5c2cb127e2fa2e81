/**
 * The demo workflow as a deployable Lambda handler (see template.yaml). In Lambda the
 * default transport is `lambdaClientTransport(new LambdaClient({}))`; the payment
 * request here only logs the callback id that a payment service would answer.
 */
import { orderWorkflow } from "./order-workflow";

export const handler = orderWorkflow(
  async (callbackId, orderId, total) => console.log(JSON.stringify({ paymentRequested: { orderId, total, callbackId } })),
  {
    onBatch: (info) => console.log(JSON.stringify({ checkpoint: info })),
    onError: (error) => console.error(JSON.stringify({ checkpointError: error.code, scope: error.scope })),
  },
);
