/**
 * The demo workflow: process an order, written against `DurableContext` exactly as
 * for the official SDK. Validate it, price its items in a child context (one step
 * per item, all running at once), reserve stock, ask for payment through a callback
 * (the invocation suspends until the payment service answers), wait a cooling-off
 * period (it suspends again), charge, and ship in a second child context.
 */
import { withDurableExecution, type DurableExecutionConfig } from "durable-checkpoint";

export interface Order {
  orderId: string;
  items: { sku: string; quantity: number }[];
  coolOffSeconds?: number;
}

export interface OrderResult {
  orderId: string;
  total: number;
  reservation: string;
  payment: string;
  receipt: string;
  tracking: string;
}

/** Where the workflow asks for payment: it hands over the callback id to answer. */
export type RequestPayment = (callbackId: string, orderId: string, total: number) => Promise<void>;

const price = (sku: string, quantity: number) => (sku.length * 7 + 3) * quantity;

export function orderWorkflow(requestPayment: RequestPayment, config?: DurableExecutionConfig) {
  return withDurableExecution<Order, OrderResult>(async (order, ctx) => {
    await ctx.step("validate", async () => {
      if (order.items.length === 0) throw new Error("an order needs items");
      return true;
    });
    const total = await ctx.runInChildContext("price-items", async (child) => {
      const prices = await Promise.all(order.items.map((item, i) => child.step(`price-${i}`, async () => price(item.sku, item.quantity))));
      return prices.reduce((a, b) => a + b, 0);
    });
    const reservation = await ctx.step("reserve-stock", async () => `rsv-${order.orderId}`);
    const payment = await ctx.waitForCallback<string>(
      "payment",
      async (callbackId) => requestPayment(callbackId, order.orderId, total),
      { timeout: { minutes: 5 } },
    );
    await ctx.wait("cool-off", { seconds: order.coolOffSeconds ?? 2 });
    const receipt = await ctx.step("charge", async () => `paid-${total}-${payment}`);
    const tracking = await ctx.runInChildContext("ship", async (child) => {
      await child.step("pack", async () => order.items.length);
      return child.step("label", async () => `TRK-${order.orderId}`);
    });
    ctx.logger.info("order done", { orderId: order.orderId, total });
    return { orderId: order.orderId, total, reservation, payment, receipt, tracking };
  }, config);
}
