// The order's events at the edge: who writes each, and the schemas the order's decisions pass.
import { describe, expect, it } from 'vitest';
import { orderEventSchemas, orderEventWriters } from './events';
import { anna, cancelled, completed, orderId, placed, recordedFromSale, spodek } from './order.fixtures';

describe("the order's events", () => {
  it('are decided by the authority, but for the request a desk writes to cancel an order', () => {
    expect(Object.keys(orderEventWriters).sort()).toEqual(Object.keys(orderEventSchemas).sort());
    const byDevices = Object.entries(orderEventWriters).filter(([, writer]) => writer === 'device');
    expect(byDevices.map(([type]) => type)).toEqual(['OrderCancellationRequested']);
  });

  it('pass their schema as the order decides them', () => {
    const events = [
      ...completed,
      cancelled('reservation_refused', 'Sold out.', { concertId: spodek }),
      recordedFromSale,
    ];
    const decisions = Object.keys(orderEventSchemas).filter((t) => t !== 'OrderCancellationRequested');
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(decisions));
    for (const event of events) expect(orderEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('accept a cancellation request as a desk writes it', () => {
    const request = { orderId, requestedBy: anna.userId, reason: 'Changed mind.' };
    expect(orderEventSchemas.OrderCancellationRequested.parse(request)).toEqual(request);
  });

  it('refuse a cancellation for a reason nobody gives, and an order placed without its plan', () => {
    const data = { orderId, reason: 'bored', message: 'x' };
    expect(orderEventSchemas.OrderCancelled.safeParse(data).success).toBe(false);
    const unplanned = { ...(placed.data as object), reservations: [] };
    expect(orderEventSchemas.OrderPlaced.safeParse(unplanned).success).toBe(false);
  });
});
