// A customer's financial record: every payment they started, how it ended, what was refunded, and the totals.
// Business rules (the seeds' UserFinancialInfo, made strict):
// - the record is opened once per customer (when they register) and payments are recorded only on an open record;
// - a payment is ongoing until it completes or fails, and never both; only a completed payment is refunded, in its
//   own currency, never beyond what it took;
// - totals are per currency and always equal the sums of the payments behind them.
import { assertNever, DomainError } from '../shared/decider';
import { formatAmount } from './amount';
import type { FinancialRecordEvent } from './events';

export type FinancialRecordCommand =
  | { type: 'OpenFinancialRecord'; data: { customerId: string; openedAt: string } }
  | {
      type: 'RecordCustomerPayment';
      data: {
        customerId: string;
        paymentId: string;
        orderId: string;
        amount: number;
        currency: string;
        startedAt: string;
      };
    }
  | { type: 'CompleteCustomerPayment'; data: { customerId: string; paymentId: string; completedAt: string } }
  | {
      type: 'FailCustomerPayment';
      data: { customerId: string; paymentId: string; reason: string; failedAt: string };
    }
  | {
      type: 'RecordCustomerRefund';
      data: {
        customerId: string;
        refundId: string;
        paymentId: string;
        amount: number;
        currency: string;
        refundedAt: string;
      };
    };

export type CustomerPayment = {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: 'ongoing' | 'completed' | 'failed';
  refunded: number;
  startedAt: string;
};

export type FinancialRecordState =
  | { status: 'none' }
  | {
      status: 'open';
      customerId: string;
      openedAt: string;
      payments: CustomerPayment[];
      refundIds: string[];
    };

export const initialFinancialRecordState = (): FinancialRecordState => ({ status: 'none' });

export const financialRecordRuleCodes = [
  'record_exists',
  'unknown_customer',
  'unknown_payment',
  'invalid_amount',
  'invalid_currency',
  'payment_failed',
  'payment_completed',
  'payment_not_completed',
  'currency_mismatch',
  'exceeds_payment',
] as const;
export type FinancialRecordRuleCode = (typeof financialRecordRuleCodes)[number];

export class FinancialRecordRuleBroken extends DomainError<FinancialRecordRuleCode> {}

const broken = (code: FinancialRecordRuleCode, message: string) =>
  new FinancialRecordRuleBroken(code, message);

type OpenRecord = Extract<FinancialRecordState, { status: 'open' }>;

export function decideFinancialRecord(
  command: FinancialRecordCommand,
  state: FinancialRecordState,
): FinancialRecordEvent[] {
  if (command.type === 'OpenFinancialRecord') {
    if (state.status === 'none') return [{ type: 'FinancialRecordOpened', data: command.data }];
    if (state.customerId === command.data.customerId) return [];
    throw broken('record_exists', `This stream holds the record of customer ${state.customerId} already.`);
  }
  const record = open(state, command.data.customerId);
  switch (command.type) {
    case 'RecordCustomerPayment': {
      const { paymentId, amount, currency } = command.data;
      if (record.payments.some((p) => p.paymentId === paymentId)) return [];
      checkAmount(amount, currency);
      return [{ type: 'CustomerPaymentStarted', data: command.data }];
    }
    case 'CompleteCustomerPayment': {
      const payment = paymentOf(record, command.data.paymentId);
      if (payment.status === 'completed') return [];
      if (payment.status === 'failed')
        throw broken('payment_failed', 'This payment failed: it can’t complete. Start a new payment.');
      return [{ type: 'CustomerPaymentCompleted', data: command.data }];
    }
    case 'FailCustomerPayment': {
      const payment = paymentOf(record, command.data.paymentId);
      if (payment.status === 'failed') return [];
      if (payment.status === 'completed')
        throw broken('payment_completed', 'This payment completed: it can’t fail now. Refund it instead.');
      return [{ type: 'CustomerPaymentFailed', data: command.data }];
    }
    case 'RecordCustomerRefund': {
      const { refundId, amount, currency } = command.data;
      if (record.refundIds.includes(refundId)) return [];
      const payment = paymentOf(record, command.data.paymentId);
      if (payment.status !== 'completed')
        throw broken('payment_not_completed', 'Only a completed payment can be refunded.');
      checkAmount(amount, currency);
      if (currency !== payment.currency)
        throw broken(
          'currency_mismatch',
          `The payment was in ${payment.currency}: refund it in ${payment.currency}.`,
        );
      const left = payment.amount - payment.refunded;
      if (amount > left)
        throw broken(
          'exceeds_payment',
          `Only ${formatAmount(left, currency)} of this payment is left to refund, not ${formatAmount(amount, currency)}.`,
        );
      return [{ type: 'CustomerRefundRecorded', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

function open(state: FinancialRecordState, customerId: string): OpenRecord {
  if (state.status === 'none' || state.customerId !== customerId)
    throw broken('unknown_customer', `Customer ${customerId} has no financial record: open one first.`);
  return state;
}

function paymentOf(record: OpenRecord, paymentId: string): CustomerPayment {
  const payment = record.payments.find((p) => p.paymentId === paymentId);
  if (!payment) throw broken('unknown_payment', `Payment ${paymentId} is not on this customer’s record.`);
  return payment;
}

function checkAmount(amount: number, currency: string): void {
  if (!Number.isInteger(amount) || amount <= 0)
    throw broken('invalid_amount', 'An amount must be a whole number of minor units above zero.');
  if (!/^[A-Z]{3}$/.test(currency))
    throw broken('invalid_currency', `"${currency}" is not an ISO 4217 currency code such as PLN.`);
}

export function evolveFinancialRecord(
  state: FinancialRecordState,
  event: FinancialRecordEvent,
): FinancialRecordState {
  switch (event.type) {
    case 'FinancialRecordOpened':
      return { status: 'open', ...event.data, payments: [], refundIds: [] };
    case 'CustomerPaymentStarted': {
      if (state.status === 'none') return state;
      const { paymentId, orderId, amount, currency, startedAt } = event.data;
      const payment: CustomerPayment = {
        paymentId,
        orderId,
        amount,
        currency,
        startedAt,
        status: 'ongoing',
        refunded: 0,
      };
      return { ...state, payments: [...state.payments, payment] };
    }
    case 'CustomerPaymentCompleted':
      return withPayment(state, event.data.paymentId, (p) => ({ ...p, status: 'completed' }));
    case 'CustomerPaymentFailed':
      return withPayment(state, event.data.paymentId, (p) => ({ ...p, status: 'failed' }));
    case 'CustomerRefundRecorded': {
      const { paymentId, amount, refundId } = event.data;
      const next = withPayment(state, paymentId, (p) => ({ ...p, refunded: p.refunded + amount }));
      return next.status === 'none' ? next : { ...next, refundIds: [...next.refundIds, refundId] };
    }
    default:
      return assertNever(event);
  }
}

function withPayment(
  state: FinancialRecordState,
  paymentId: string,
  change: (payment: CustomerPayment) => CustomerPayment,
): FinancialRecordState {
  if (state.status === 'none') return state;
  return { ...state, payments: state.payments.map((p) => (p.paymentId === paymentId ? change(p) : p)) };
}

export const financialRecordDecider = {
  decide: decideFinancialRecord,
  evolve: evolveFinancialRecord,
  initialState: initialFinancialRecordState,
};

export type CurrencySummary = {
  currency: string;
  /** Started and not yet completed or failed. */
  ongoing: number;
  /** Completed payments, before refunds. */
  paid: number;
  refunded: number;
  /** paid − refunded: what the customer has spent. */
  net: number;
};

/** The record as a person reads it: ongoing and completed payments, and totals per currency. */
export function financialSummary(state: FinancialRecordState): {
  ongoing: CustomerPayment[];
  completed: CustomerPayment[];
  totals: CurrencySummary[];
} {
  if (state.status === 'none') return { ongoing: [], completed: [], totals: [] };
  const totals = new Map<string, CurrencySummary>();
  for (const p of state.payments) {
    const t = totals.get(p.currency) ?? { currency: p.currency, ongoing: 0, paid: 0, refunded: 0, net: 0 };
    if (p.status === 'ongoing') t.ongoing += p.amount;
    if (p.status === 'completed') {
      t.paid += p.amount;
      t.refunded += p.refunded;
      t.net += p.amount - p.refunded;
    }
    totals.set(p.currency, t);
  }
  return {
    ongoing: state.payments.filter((p) => p.status === 'ongoing'),
    completed: state.payments.filter((p) => p.status === 'completed'),
    totals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  };
}
