// A payment for an order, in one currency. Business rules (the seeds leave them TODO; these are a box office's):
// - an amount above zero in minor units; cash needs tendered ≥ amount and gives change = tendered − amount;
//   a card payment names the gateway's reference, and the gateway's outcome must name the same one;
// - initiated → succeeded (captured) | failed; money the gateway captures after reporting a failure is still
//   recorded as captured, so that it can be given back (money taken is a fact, never ignored);
// - refunds, in full or in part, only of captured money, and their sum never exceeds what was captured;
//   a refund without an amount gives back all that is left (how an order's compensation refunds).
// Every command is decided into at most one event; a payment or a refund id already applied is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import type { PaymentDecision, PaymentEventData, PaymentRejectionCode } from './events';

export type PaymentCommand =
  | {
      type: 'InitiatePayment';
      data: {
        paymentId: string;
        orderId: string;
        amount: number;
        currency: string;
        method: { kind: 'cash'; tendered: number } | { kind: 'card'; gatewayReference: string };
      };
    }
  | { type: 'CapturePayment'; data: { paymentId: string; gatewayReference?: string } }
  | { type: 'FailPayment'; data: { paymentId: string; reason: string } }
  | { type: 'RefundPayment'; data: PaymentEventData<'PaymentRefundRequested'> };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const paymentCommandTypes = [
  'InitiatePayment',
  'CapturePayment',
  'FailPayment',
  'RefundPayment',
] as const satisfies readonly PaymentCommand['type'][];
export const paymentCommandTypesComplete: ListsAll<PaymentCommand['type'], typeof paymentCommandTypes> = true;

type Initiated = PaymentEventData<'PaymentInitiated'>;
export type PaymentState =
  | { status: 'none' }
  | ({ status: 'initiated' } & Initiated)
  | ({ status: 'failed'; reason: string } & Initiated)
  | ({
      /** Captured, perhaps partly refunded; 'refunded' once everything captured is given back. */
      status: 'succeeded' | 'refunded';
      captured: number;
      refunded: number;
      refundIds: string[];
    } & Initiated);

export const initialPaymentState = (): PaymentState => ({ status: 'none' });

export class PaymentRuleBroken extends DomainError<PaymentRejectionCode> {}

const broken = (code: PaymentRejectionCode, message: string) => new PaymentRuleBroken(code, message);

export function decidePayment(command: PaymentCommand, state: PaymentState): PaymentDecision[] {
  if (command.type === 'InitiatePayment') return initiate(command.data, state);
  if (state.status === 'none' || state.paymentId !== command.data.paymentId)
    throw broken('unknown_payment', 'There is no such payment.');
  const { paymentId, orderId, amount, currency } = state;
  switch (command.type) {
    case 'CapturePayment': {
      const reference = command.data.gatewayReference;
      if (
        state.method.kind === 'card' &&
        reference !== undefined &&
        reference !== state.method.gatewayReference
      )
        throw broken(
          'gateway_mismatch',
          `The gateway reports ${reference}, but this payment is ${state.method.gatewayReference}.`,
        );
      if (state.status === 'succeeded' || state.status === 'refunded') return [];
      return [{ type: 'PaymentSucceeded', data: { paymentId, orderId, amount, currency } }];
    }
    case 'FailPayment':
      if (state.status === 'failed') return [];
      if (state.status !== 'initiated')
        throw broken('already_captured', 'This payment was captured: it can only be refunded now.');
      return [{ type: 'PaymentFailed', data: { paymentId, orderId, reason: command.data.reason } }];
    case 'RefundPayment': {
      if (state.status !== 'succeeded' && state.status !== 'refunded')
        throw broken('not_captured', 'Nothing was captured for this payment: there is nothing to refund.');
      const { refundId, reason } = command.data;
      if (state.refundIds.includes(refundId)) return [];
      const left = state.captured - state.refunded;
      const wanted = command.data.amount ?? left;
      if (command.data.amount === undefined && left === 0) return []; // "all that is left" of nothing
      if (!Number.isInteger(wanted) || wanted <= 0)
        throw broken('invalid_refund', 'A refund is a whole number of minor units above zero.');
      if (wanted > left)
        throw broken(
          'refund_exceeds_capture',
          left === 0
            ? 'This payment is refunded in full already.'
            : `Only ${money(left, currency)} of this payment can still be refunded, not ${money(wanted, currency)}.`,
        );
      return [
        {
          type: 'PaymentRefunded',
          data: {
            paymentId,
            orderId,
            refundId,
            amount: wanted,
            currency,
            reason,
            refundedInTotal: state.refunded + wanted,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function initiate(
  data: Extract<PaymentCommand, { type: 'InitiatePayment' }>['data'],
  state: PaymentState,
): PaymentDecision[] {
  if (state.status !== 'none') {
    if (state.paymentId === data.paymentId) return []; // started before: a replay
    throw broken('payment_exists', `This stream holds payment ${state.paymentId} already.`);
  }
  const { paymentId, orderId, amount, currency, method } = data;
  if (!Number.isInteger(amount) || amount <= 0)
    throw broken('invalid_amount', 'A payment is a whole number of minor units (grosze, cents) above zero.');
  if (!/^[A-Z]{3}$/.test(currency))
    throw broken('invalid_currency', `"${currency}" is not a currency code such as PLN.`);
  if (method.kind === 'card') {
    const gatewayReference = method.gatewayReference.trim();
    if (!gatewayReference)
      throw broken('missing_reference', 'A card payment needs the reference the payment gateway gave it.');
    return [
      {
        type: 'PaymentInitiated',
        data: { paymentId, orderId, amount, currency, method: { kind: 'card', gatewayReference } },
      },
    ];
  }
  if (!Number.isInteger(method.tendered) || method.tendered < 0)
    throw broken('invalid_amount', 'Cash tendered is a whole number of minor units, zero or more.');
  if (method.tendered < amount)
    throw broken(
      'insufficient_cash',
      `The customer gave ${money(method.tendered, currency)} and ${money(amount, currency)} is due: ${money(amount - method.tendered, currency)} more is needed.`,
    );
  const cash = { kind: 'cash' as const, tendered: method.tendered, change: method.tendered - amount };
  return [{ type: 'PaymentInitiated', data: { paymentId, orderId, amount, currency, method: cash } }];
}

const money = (minorUnits: number, currency: string) => `${(minorUnits / 100).toFixed(2)} ${currency}`;

export function evolvePayment(state: PaymentState, event: PaymentDecision): PaymentState {
  switch (event.type) {
    case 'PaymentInitiated':
      return { status: 'initiated', ...event.data };
    case 'PaymentSucceeded':
      if (state.status !== 'initiated' && state.status !== 'failed') return state;
      return {
        ...withoutReason(state),
        status: 'succeeded',
        captured: event.data.amount,
        refunded: 0,
        refundIds: [],
      };
    case 'PaymentFailed':
      return state.status === 'initiated' ? { ...state, status: 'failed', reason: event.data.reason } : state;
    case 'PaymentRefunded': {
      if (state.status !== 'succeeded' && state.status !== 'refunded') return state;
      const refunded = state.refunded + event.data.amount;
      return {
        ...state,
        status: refunded >= state.captured ? 'refunded' : 'succeeded',
        refunded,
        refundIds: [...state.refundIds, event.data.refundId],
      };
    }
    default:
      return assertNever(event);
  }
}

function withoutReason(state: Extract<PaymentState, { status: 'initiated' | 'failed' }>): Initiated {
  const { paymentId, orderId, amount, currency, method } = state;
  return { paymentId, orderId, amount, currency, method };
}

/** Money captured and not given back. */
export const moneyHeld = (state: PaymentState): number =>
  state.status === 'succeeded' || state.status === 'refunded' ? state.captured - state.refunded : 0;

export const paymentDecider: Decider<PaymentCommand, PaymentDecision, PaymentState> = {
  decide: decidePayment,
  evolve: evolvePayment,
  initialState: initialPaymentState,
};
