/**
 * The demo workflow: process an order. Validate it, price its items in a child
 * context (a fan-out of one step per item), reserve stock, wait for payment (the
 * invocation suspends and the service re-invokes it), charge, and ship in a second
 * child context.
 */
import { withDurableCheckpoints, type DurableCheckpointsOptions } from "durable-checkpoint";

import { Durable } from "./durable";

export interface Order {
  orderId: string;
  items: { sku: string; quantity: number }[];
  paymentWaitSeconds?: number;
}

export interface OrderResult {
  orderId: string;
  total: number;
  reservation: string;
  receipt: string;
  tracking: string;
}

const price = (sku: string, quantity: number) => (sku.length * 7 + 3) * quantity;

export function orderWorkflow(options: DurableCheckpointsOptions) {
  return withDurableCheckpoints<Order, OrderResult>(async (ctx) => {
    const d = new Durable(ctx);
    const order = d.input;
    await d.step("validate", () => {
      if (order.items.length === 0) throw new Error("an order needs items");
      return true;
    });
    const total = await d.child(
      "price-items",
      async (parentId) => {
        const prices = await Promise.all(
          order.items.map((item, i) => d.step(`price-${i}`, () => price(item.sku, item.quantity), { parentId })),
        );
        return prices.reduce((a, b) => a + b, 0);
      },
      { subType: "Map" },
    );
    const reservation = await d.step("reserve-stock", () => `rsv-${order.orderId}`);
    await d.wait("await-payment", order.paymentWaitSeconds ?? 2);
    const receipt = await d.step("charge", () => `paid-${total}`);
    const tracking = await d.child("ship", async (parentId) => {
      await d.step("pack", () => order.items.length, { parentId });
      return d.step("label", () => `TRK-${order.orderId}`, { parentId });
    });
    return { orderId: order.orderId, total, reservation, receipt, tracking };
  }, options);
}
