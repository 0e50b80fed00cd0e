// A customer's financial record: payments started, completed or failed, refunds, and totals that add up.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { FinancialRecordEvent } from './events';
import {
  decideFinancialRecord,
  evolveFinancialRecord,
  financialRecordDecider,
  financialSummary,
  initialFinancialRecordState,
} from './financial-record';
import type { FinancialRecordCommand } from './financial-record';

const given = specification(financialRecordDecider);

const customerId = 'customer-1';
const at = '2026-11-21T18:45:00.000+01:00';

// Commands
const openRecord = (id = customerId): FinancialRecordCommand => ({
  type: 'OpenFinancialRecord',
  data: { customerId: id, openedAt: at },
});
const start = (
  paymentId: string,
  amount: number,
  currency = 'PLN',
  id = customerId,
): FinancialRecordCommand => ({
  type: 'RecordCustomerPayment',
  data: { customerId: id, paymentId, orderId: `order-${paymentId}`, amount, currency, startedAt: at },
});
const complete = (paymentId: string): FinancialRecordCommand => ({
  type: 'CompleteCustomerPayment',
  data: { customerId, paymentId, completedAt: at },
});
const fail = (paymentId: string): FinancialRecordCommand => ({
  type: 'FailCustomerPayment',
  data: { customerId, paymentId, reason: 'Card declined.', failedAt: at },
});
const refund = (
  refundId: string,
  paymentId: string,
  amount: number,
  currency = 'PLN',
): FinancialRecordCommand => ({
  type: 'RecordCustomerRefund',
  data: { customerId, refundId, paymentId, amount, currency, refundedAt: at },
});

// Events
const opened: FinancialRecordEvent = { type: 'FinancialRecordOpened', data: { customerId, openedAt: at } };
const started = (paymentId: string, amount: number, currency = 'PLN'): FinancialRecordEvent => ({
  type: 'CustomerPaymentStarted',
  data: { customerId, paymentId, orderId: `order-${paymentId}`, amount, currency, startedAt: at },
});
const completed = (paymentId: string): FinancialRecordEvent => ({
  type: 'CustomerPaymentCompleted',
  data: { customerId, paymentId, completedAt: at },
});
const failed = (paymentId: string): FinancialRecordEvent => ({
  type: 'CustomerPaymentFailed',
  data: { customerId, paymentId, reason: 'Card declined.', failedAt: at },
});
const refunded = (refundId: string, paymentId: string, amount: number): FinancialRecordEvent => ({
  type: 'CustomerRefundRecorded',
  data: { customerId, refundId, paymentId, amount, currency: 'PLN', refundedAt: at },
});
const paidIn = (paymentId: string, amount: number, currency = 'PLN') => [
  started(paymentId, amount, currency),
  completed(paymentId),
];

describe('opening the record', () => {
  it('opens a record for a customer', () => {
    given([]).when(openRecord()).then([opened]);
  });

  it('opens it once: opening it again changes nothing', () => {
    given([opened]).when(openRecord()).then([]);
  });

  it('refuses a second customer in the same stream', () => {
    given([opened]).when(openRecord('customer-2')).thenThrows('record_exists');
  });

  it('records nothing for a customer without a record', () => {
    given([]).when(start('p1', 100)).thenThrows('unknown_customer');
    given([opened])
      .when(start('p1', 100, 'PLN', 'customer-2'))
      .thenThrows('unknown_customer');
  });
});

describe('payments', () => {
  it('records a payment as ongoing', () => {
    given([opened])
      .when(start('p1', 30_000))
      .then([started('p1', 30_000)]);
  });

  it('records a payment once', () => {
    given([opened, started('p1', 30_000)])
      .when(start('p1', 30_000))
      .then([]);
  });

  it.each([0, -1, 1.5])('refuses an amount of %d', (amount) => {
    given([opened]).when(start('p1', amount)).thenThrows('invalid_amount');
  });

  it('refuses a currency that is not an ISO code', () => {
    given([opened])
      .when(start('p1', 100, 'zł'))
      .thenThrows('invalid_currency');
  });

  it('completes an ongoing payment, once', () => {
    given([opened, started('p1', 30_000)])
      .when(complete('p1'))
      .then([completed('p1')]);
    given([opened, ...paidIn('p1', 30_000)])
      .when(complete('p1'))
      .then([]);
  });

  it('fails an ongoing payment, once', () => {
    given([opened, started('p1', 30_000)])
      .when(fail('p1'))
      .then([failed('p1')]);
    given([opened, started('p1', 30_000), failed('p1')])
      .when(fail('p1'))
      .then([]);
  });

  it('refuses to complete a failed payment', () => {
    given([opened, started('p1', 30_000), failed('p1')])
      .when(complete('p1'))
      .thenThrows('payment_failed');
  });

  it('refuses to fail a completed payment', () => {
    given([opened, ...paidIn('p1', 30_000)])
      .when(fail('p1'))
      .thenThrows('payment_completed');
  });

  it('refuses a payment it has not recorded', () => {
    given([opened]).when(complete('p9')).thenThrows('unknown_payment');
    given([opened]).when(fail('p9')).thenThrows('unknown_payment');
    given([opened])
      .when(refund('r1', 'p9', 100))
      .thenThrows('unknown_payment');
  });
});

describe('refunds', () => {
  it('records a refund of a completed payment', () => {
    given([opened, ...paidIn('p1', 30_000)])
      .when(refund('r1', 'p1', 15_000))
      .then([refunded('r1', 'p1', 15_000)]);
  });

  it('records a refund once', () => {
    given([opened, ...paidIn('p1', 30_000), refunded('r1', 'p1', 15_000)])
      .when(refund('r1', 'p1', 15_000))
      .then([]);
  });

  it('refunds up to what the payment took, never beyond', () => {
    given([opened, ...paidIn('p1', 30_000), refunded('r1', 'p1', 15_000)])
      .when(refund('r2', 'p1', 15_000))
      .then([refunded('r2', 'p1', 15_000)]);
    given([opened, ...paidIn('p1', 30_000), refunded('r1', 'p1', 15_000)])
      .when(refund('r2', 'p1', 15_001))
      .thenThrows('exceeds_payment');
  });

  it('refuses to refund a payment that did not complete', () => {
    given([opened, started('p1', 30_000)])
      .when(refund('r1', 'p1', 100))
      .thenThrows('payment_not_completed');
    given([opened, started('p1', 30_000), failed('p1')])
      .when(refund('r1', 'p1', 100))
      .thenThrows('payment_not_completed');
  });

  it('refuses a refund in another currency', () => {
    given([opened, ...paidIn('p1', 30_000)])
      .when(refund('r1', 'p1', 100, 'EUR'))
      .thenThrows('currency_mismatch');
  });

  it('refuses an amount of zero', () => {
    given([opened, ...paidIn('p1', 30_000)])
      .when(refund('r1', 'p1', 0))
      .thenThrows('invalid_amount');
  });
});

describe('the summary', () => {
  it('lists ongoing and completed payments and totals per currency', () => {
    const state = fold(evolveFinancialRecord, initialFinancialRecordState(), [
      opened,
      ...paidIn('p1', 30_000),
      refunded('r1', 'p1', 10_000),
      started('p2', 5_000, 'EUR'),
      ...paidIn('p3', 2_000, 'EUR'),
      started('p4', 7_000),
      failed('p4'),
    ]);
    const summary = financialSummary(state);
    expect(summary.ongoing.map((p) => p.paymentId)).toEqual(['p2']);
    expect(summary.completed.map((p) => p.paymentId)).toEqual(['p1', 'p3']);
    expect(summary.totals).toEqual([
      { currency: 'EUR', ongoing: 5_000, paid: 2_000, refunded: 0, net: 2_000 },
      { currency: 'PLN', ongoing: 0, paid: 30_000, refunded: 10_000, net: 20_000 },
    ]);
  });

  it('is empty without a record', () => {
    expect(financialSummary(initialFinancialRecordState())).toEqual({
      ongoing: [],
      completed: [],
      totals: [],
    });
  });

  it('ignores payments folded before the record was opened', () => {
    const before = [started('p1', 100), completed('p1'), failed('p1'), refunded('r1', 'p1', 1)];
    for (const e of before)
      expect(evolveFinancialRecord(initialFinancialRecordState(), e)).toEqual({ status: 'none' });
  });

  it('adds up to the payments behind it, for any sequence of payment outcomes', () => {
    const step = fc.record({
      kind: fc.constantFrom('start', 'complete', 'fail', 'refund'),
      payment: fc.integer({ min: 1, max: 5 }),
      amount: fc.integer({ min: 1, max: 20_000 }),
      refund: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let state = fold(evolveFinancialRecord, initialFinancialRecordState(), [opened]);
        const events: FinancialRecordEvent[] = [];
        for (const s of steps) {
          const paymentId = `p${s.payment}`;
          const command =
            s.kind === 'start'
              ? start(paymentId, s.amount)
              : s.kind === 'complete'
                ? complete(paymentId)
                : s.kind === 'fail'
                  ? fail(paymentId)
                  : refund(`r${s.refund}`, paymentId, s.amount);
          try {
            const decided = decideFinancialRecord(command, state);
            events.push(...decided);
            state = fold(evolveFinancialRecord, state, decided);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        }
        const started = new Map<string, number>();
        const ended = new Map<string, 'completed' | 'failed'>();
        let refunded = 0;
        for (const e of events) {
          if (e.type === 'CustomerPaymentStarted') started.set(e.data.paymentId, e.data.amount);
          if (e.type === 'CustomerPaymentCompleted') ended.set(e.data.paymentId, 'completed');
          if (e.type === 'CustomerPaymentFailed') ended.set(e.data.paymentId, 'failed');
          if (e.type === 'CustomerRefundRecorded') refunded += e.data.amount;
        }
        const sum = (status?: 'completed' | 'failed') =>
          [...started].filter(([id]) => ended.get(id) === status).reduce((s, [, a]) => s + a, 0);
        const [pln] = financialSummary(state).totals;
        expect(pln?.ongoing ?? 0).toBe(sum(undefined));
        expect(pln?.paid ?? 0).toBe(sum('completed'));
        expect(pln?.refunded ?? 0).toBe(refunded);
        expect(refunded).toBeLessThanOrEqual(sum('completed'));
      }),
      { numRuns: 200 },
    );
  });
});
