// The payment's rules, one specification each: taking money in cash or by card, its outcome, and giving it back.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { decidePayment, evolvePayment, initialPaymentState, moneyHeld, paymentDecider } from './payment';
import type { PaymentCommand, PaymentState } from './payment';
import type { PaymentDecision } from './events';

const given = specification(paymentDecider);

const paymentId = 'order-1:payment:PLN';
const orderId = 'order-1';
const ids = { paymentId, orderId };
const intent = 'pi_3QxY';

// Commands
const payCash = (tendered: number, amount = 30_000): PaymentCommand => ({
  type: 'InitiatePayment',
  data: { ...ids, amount, currency: 'PLN', method: { kind: 'cash', tendered } },
});
const payCard = (gatewayReference = intent, amount = 30_000): PaymentCommand => ({
  type: 'InitiatePayment',
  data: { ...ids, amount, currency: 'PLN', method: { kind: 'card', gatewayReference } },
});
const capture = (gatewayReference?: string): PaymentCommand => ({
  type: 'CapturePayment',
  data: { paymentId, gatewayReference },
});
const fail: PaymentCommand = { type: 'FailPayment', data: { paymentId, reason: 'Card declined.' } };
const refund = (refundId: string, amount?: number): PaymentCommand => ({
  type: 'RefundPayment',
  data: { paymentId, refundId, amount, reason: 'One ticket returned.' },
});

// Events
const cashInitiated = (tendered: number, change: number): PaymentDecision => ({
  type: 'PaymentInitiated',
  data: { ...ids, amount: 30_000, currency: 'PLN', method: { kind: 'cash', tendered, change } },
});
const cardInitiated: PaymentDecision = {
  type: 'PaymentInitiated',
  data: { ...ids, amount: 30_000, currency: 'PLN', method: { kind: 'card', gatewayReference: intent } },
};
const succeeded: PaymentDecision = {
  type: 'PaymentSucceeded',
  data: { ...ids, amount: 30_000, currency: 'PLN' },
};
const failed: PaymentDecision = { type: 'PaymentFailed', data: { ...ids, reason: 'Card declined.' } };
const refunded = (refundId: string, amount: number, refundedInTotal: number): PaymentDecision => ({
  type: 'PaymentRefunded',
  data: { ...ids, refundId, amount, currency: 'PLN', reason: 'One ticket returned.', refundedInTotal },
});

const paid = [cardInitiated, succeeded];

describe('cash', () => {
  it('takes cash and gives the change: change = tendered − amount', () => {
    given([])
      .when(payCash(50_000))
      .then([cashInitiated(50_000, 20_000)]);
    given([])
      .when(payCash(30_000))
      .then([cashInitiated(30_000, 0)]);
  });

  it('refuses less cash than is due, saying how much more', () => {
    const error = given([]).when(payCash(29_999)).thenThrows('insufficient_cash');
    expect(error.message).toBe(
      'The customer gave 299.99 PLN and 300.00 PLN is due: 0.01 PLN more is needed.',
    );
  });

  it('refuses cash tendered as a fraction or below zero', () => {
    given([]).when(payCash(40_000.5)).thenThrows('invalid_amount');
    given([]).when(payCash(-1)).thenThrows('invalid_amount');
  });

  it('is captured by the authority once in the drawer', () => {
    given([cashInitiated(50_000, 20_000)])
      .when(capture())
      .then([succeeded]);
  });
});

describe('card', () => {
  it("starts with the gateway's reference", () => {
    given([]).when(payCard()).then([cardInitiated]);
    given([])
      .when(payCard(` ${intent} `))
      .then([cardInitiated]);
  });

  it('refuses a card payment without a reference', () => {
    given([]).when(payCard('  ')).thenThrows('missing_reference');
  });

  it("succeeds when the gateway confirms it, naming the payment's reference", () => {
    given([cardInitiated]).when(capture(intent)).then([succeeded]);
    given([cardInitiated]).when(capture()).then([succeeded]);
  });

  it("refuses an outcome that names another payment's reference", () => {
    given([cardInitiated]).when(capture('pi_other')).thenThrows('gateway_mismatch');
  });

  it('fails when the gateway says so', () => {
    given([cardInitiated]).when(fail).then([failed]);
  });
});

describe('any payment', () => {
  it('refuses an amount of zero, below zero or a fraction', () => {
    for (const amount of [0, -100, 10.5])
      given([]).when(payCard(intent, amount)).thenThrows('invalid_amount');
  });

  it('refuses a currency that is not a code', () => {
    given([])
      .when({
        type: 'InitiatePayment',
        data: { ...ids, amount: 100, currency: 'zł', method: { kind: 'cash', tendered: 100 } },
      })
      .thenThrows('invalid_currency');
  });

  it('starts once: the same payment again is a no-op', () => {
    given([cardInitiated]).when(payCard()).then([]);
    given(paid).when(payCash(50_000)).then([]);
  });

  it('refuses another payment in the same stream', () => {
    given([cardInitiated])
      .when({ ...payCard(), data: { ...payCard().data, paymentId: 'order-2:payment:PLN' } } as PaymentCommand)
      .thenThrows('payment_exists');
  });

  it('refuses an outcome for a payment that was never started', () => {
    given([]).when(capture()).thenThrows('unknown_payment');
    given([cardInitiated])
      .when({ type: 'FailPayment', data: { paymentId: 'other', reason: 'x' } })
      .thenThrows('unknown_payment');
  });

  it('records each outcome once (the gateway sends webhooks more than once)', () => {
    given(paid).when(capture(intent)).then([]);
    given([cardInitiated, failed]).when(fail).then([]);
    given([...paid, refunded('r1', 30_000, 30_000)])
      .when(capture(intent))
      .then([]);
  });

  it('never turns captured money into a failure', () => {
    given(paid).when(fail).thenThrows('already_captured');
  });

  it('records money the gateway captures after reporting a failure, so it can be given back', () => {
    given([cardInitiated, failed]).when(capture(intent)).then([succeeded]);
    const state = fold(evolvePayment, initialPaymentState(), [cardInitiated, failed, succeeded]);
    expect(state).toMatchObject({ status: 'succeeded', captured: 30_000, refunded: 0 });
    expect(state).not.toHaveProperty('reason');
  });
});

describe('refunds', () => {
  it('gives back part of what was captured, then the rest', () => {
    given(paid)
      .when(refund('r1', 10_000))
      .then([refunded('r1', 10_000, 10_000)]);
    given([...paid, refunded('r1', 10_000, 10_000)])
      .when(refund('r2', 20_000))
      .then([refunded('r2', 20_000, 30_000)]);
  });

  it('gives back all that is left when no amount is named', () => {
    given(paid)
      .when(refund('r1'))
      .then([refunded('r1', 30_000, 30_000)]);
    given([...paid, refunded('r1', 10_000, 10_000)])
      .when(refund('r2'))
      .then([refunded('r2', 20_000, 30_000)]);
  });

  it('gives back nothing when nothing is left and no amount is named', () => {
    given([...paid, refunded('r1', 30_000, 30_000)])
      .when(refund('r2'))
      .then([]);
  });

  it('never refunds more than was captured', () => {
    given(paid).when(refund('r1', 30_001)).thenThrows('refund_exceeds_capture');
    const error = given([...paid, refunded('r1', 25_000, 25_000)])
      .when(refund('r2', 10_000))
      .thenThrows('refund_exceeds_capture');
    expect(error.message).toBe('Only 50.00 PLN of this payment can still be refunded, not 100.00 PLN.');
    expect(
      given([...paid, refunded('r1', 30_000, 30_000)])
        .when(refund('r2', 1))
        .thenThrows('refund_exceeds_capture').message,
    ).toBe('This payment is refunded in full already.');
  });

  it('refunds each refund id once', () => {
    given([...paid, refunded('r1', 10_000, 10_000)])
      .when(refund('r1', 10_000))
      .then([]);
  });

  it('refuses a refund of zero, below zero or a fraction', () => {
    for (const amount of [0, -1, 0.5]) given(paid).when(refund('r1', amount)).thenThrows('invalid_refund');
  });

  it('refuses to refund money that was not captured', () => {
    given([cardInitiated]).when(refund('r1', 100)).thenThrows('not_captured');
    given([cardInitiated, failed]).when(refund('r1')).thenThrows('not_captured');
    given([]).when(refund('r1')).thenThrows('unknown_payment');
  });
});

describe('a command or event of a type the payment does not know', () => {
  it('is a programming error, not silently ignored', () => {
    const state = fold(evolvePayment, initialPaymentState(), paid);
    expect(() => decidePayment({ type: 'ChargebackPayment', data: { paymentId } } as never, state)).toThrow(
      'Unhandled case',
    );
    expect(() => evolvePayment(state, { type: 'PaymentChargedBack', data: ids } as never)).toThrow(
      'Unhandled case',
    );
  });
});

describe('the payment read back from its events', () => {
  it('is refunded in full once everything captured is given back', () => {
    const state = fold(evolvePayment, initialPaymentState(), [
      ...paid,
      refunded('r1', 10_000, 10_000),
      refunded('r2', 20_000, 30_000),
    ]);
    expect(state).toMatchObject({
      status: 'refunded',
      captured: 30_000,
      refunded: 30_000,
      refundIds: ['r1', 'r2'],
    });
    expect(moneyHeld(state)).toBe(0);
  });

  it('holds what was captured and not refunded', () => {
    const fold_ = (events: PaymentDecision[]) =>
      moneyHeld(fold(evolvePayment, initialPaymentState(), events));
    expect(fold_([])).toBe(0);
    expect(fold_([cardInitiated])).toBe(0);
    expect(fold_(paid)).toBe(30_000);
    expect(fold_([...paid, refunded('r1', 10_000, 10_000)])).toBe(20_000);
  });

  it('ignores an outcome that does not apply (a late copy)', () => {
    const state = fold(evolvePayment, initialPaymentState(), [...paid, failed, succeeded]);
    expect(state).toMatchObject({ status: 'succeeded', captured: 30_000 });
    expect(fold(evolvePayment, initialPaymentState(), [cardInitiated, refunded('r1', 1, 1)]).status).toBe(
      'initiated',
    );
  });
});

// Any sequence of payment commands, with copies and in any order.
const commandArb: fc.Arbitrary<PaymentCommand> = fc.oneof(
  fc.integer({ min: 0, max: 60_000 }).map((tendered) => payCash(tendered)),
  fc.constantFrom(intent, 'pi_other', ' ').map((reference) => payCard(reference)),
  fc.constantFrom(undefined, intent, 'pi_other').map((reference) => capture(reference)),
  fc.constant(fail),
  fc
    .record({
      id: fc.constantFrom('r1', 'r2', 'r3', 'r4'),
      amount: fc.option(fc.integer({ min: -10, max: 35_000 })),
    })
    .map(({ id, amount }) => refund(id, amount ?? undefined)),
);

describe('a payment, property by property', () => {
  it('never refunds more than it captured, whatever the sequence of commands', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 25 }), (commands) => {
        let state: PaymentState = initialPaymentState();
        let captured = 0;
        let refundedSoFar = 0;
        const refundIds = new Set<string>();
        for (const command of commands) {
          let events: PaymentDecision[] = [];
          try {
            events = decidePayment(command, state);
          } catch (error) {
            expect(error).toHaveProperty('code');
          }
          expect(events.length).toBeLessThanOrEqual(1);
          for (const event of events) {
            if (event.type === 'PaymentSucceeded') captured += event.data.amount;
            if (event.type === 'PaymentRefunded') {
              expect(refundIds.has(event.data.refundId)).toBe(false);
              refundIds.add(event.data.refundId);
              refundedSoFar += event.data.amount;
              expect(event.data.refundedInTotal).toBe(refundedSoFar);
            }
          }
          state = fold(evolvePayment, state, events);
          expect(refundedSoFar).toBeLessThanOrEqual(captured);
          expect(captured).toBeLessThanOrEqual(30_000);
          expect(moneyHeld(state)).toBe(captured - refundedSoFar);
        }
      }),
      { numRuns: 500 },
    );
  });
});
