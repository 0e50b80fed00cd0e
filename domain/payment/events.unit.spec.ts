// The payment's events at the edge: who writes each, and the schemas the decisions pass.
import { describe, expect, it } from 'vitest';
import { decidePayment, evolvePayment, initialPaymentState } from './payment';
import type { PaymentCommand, PaymentState } from './payment';
import { paymentEventSchemas, paymentEventWriters, paymentMethodSchema } from './events';
import type { PaymentDecision } from './events';

const start = (paymentId: string, kind: 'cash' | 'card'): PaymentCommand => ({
  type: 'InitiatePayment',
  data: {
    paymentId,
    orderId: 'order-1',
    amount: 30_000,
    currency: 'PLN',
    method: kind === 'cash' ? { kind, tendered: 50_000 } : { kind, gatewayReference: 'pi_1' },
  },
});

function decided(commands: PaymentCommand[]): PaymentDecision[] {
  let state: PaymentState = initialPaymentState();
  const events: PaymentDecision[] = [];
  for (const command of commands) {
    const next = decidePayment(command, state);
    for (const event of next) state = evolvePayment(state, event);
    events.push(...next);
  }
  return events;
}

describe("the payment's events", () => {
  it('are started and refund-requested at the desk, reported by the gateway through the sync server, decided by the authority otherwise', () => {
    expect(Object.keys(paymentEventWriters).sort()).toEqual(Object.keys(paymentEventSchemas).sort());
    expect(paymentEventWriters).toEqual({
      PaymentInitiated: 'device',
      PaymentSucceeded: 'authority',
      PaymentFailed: 'authority',
      PaymentRefundRequested: 'device',
      PaymentRefunded: 'authority',
      PaymentGatewayReported: 'authority',
      GatewayRefundRequested: 'authority',
      TicketsRefundRequested: 'device',
      TicketsRefundAccepted: 'authority',
    });
  });

  it('pass their schema as the payment decides them', () => {
    const events = [
      ...decided([
        start('p1', 'cash'),
        { type: 'CapturePayment', data: { paymentId: 'p1' } },
        {
          type: 'RefundPayment',
          data: { paymentId: 'p1', refundId: 'r1', amount: 100, reason: 'Returned.' },
        },
      ]),
      ...decided([
        start('p2', 'card'),
        { type: 'FailPayment', data: { paymentId: 'p2', reason: 'Declined.' } },
      ]),
    ];
    expect(events.map((e) => e.type)).toEqual([
      'PaymentInitiated',
      'PaymentSucceeded',
      'PaymentRefunded',
      'PaymentInitiated',
      'PaymentFailed',
    ]);
    for (const event of events) expect(paymentEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('accept a refund request with or without an amount', () => {
    for (const request of [
      { paymentId: 'p1', refundId: 'r1', reason: '' },
      { paymentId: 'p1', refundId: 'r1', amount: 500, reason: 'One ticket.' },
    ])
      expect(paymentEventSchemas.PaymentRefundRequested.parse(request)).toEqual(request);
  });

  it('refuse money as a fraction, a payment of nothing, and a method nobody offers', () => {
    expect(paymentMethodSchema.safeParse({ kind: 'cash', tendered: 10.5, change: 0 }).success).toBe(false);
    expect(paymentMethodSchema.safeParse({ kind: 'cheque' }).success).toBe(false);
    const [initiated] = decided([start('p1', 'cash')]);
    expect(paymentEventSchemas.PaymentInitiated.safeParse({ ...initiated!.data, amount: 0 }).success).toBe(
      false,
    );
  });
});
