// A card payment for an order, asked for by a desk: the order's due payment as the orders authority recorded it, one
// PaymentIntent per payment however often the desk asks (the intent's id is kept create-only in stagedoor-authority,
// and the gateway's idempotency key covers two desks asking at once).
import type { OrderBook } from '../../domain/authority/order-authority';
import { authorityDb, getDoc } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import type { CardGateway, CardIntent } from './stripe-gateway';
import { readOrderBook } from './order-book';

export class CardPaymentRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type IntentRecord = Doc & { paymentIntentId: string; orderId: string; paymentId: string };
const intentRecordId = (paymentId: string) => `payment-intent:${paymentId}`;

/** The payment of the order still due (in the currency asked for, if several are). */
export function duePayment(
  book: OrderBook | undefined,
  currency?: string,
): { paymentId: string; amount: number; currency: string } {
  const order = book?.order;
  if (!order || order.status === 'none')
    throw new CardPaymentRefused(
      404,
      'unknown_order',
      'There is no such order (yet): wait for it to be placed.',
    );
  if (order.status === 'cancelled')
    throw new CardPaymentRefused(
      409,
      'order_cancelled',
      `This order was cancelled: ${order.cancellation?.message ?? ''}`.trim(),
    );
  if (order.status === 'reserving')
    throw new CardPaymentRefused(
      409,
      'not_ready',
      'The seats are not held yet: take the payment once they are.',
    );
  const due = order.payments.filter((p) => p.status === 'due' && (!currency || p.currency === currency));
  const [payment] = due;
  if (!payment) throw new CardPaymentRefused(409, 'already_paid', 'This order has nothing left to pay.');
  return { paymentId: payment.paymentId, amount: payment.amount, currency: payment.currency };
}

export async function cardIntentFor(
  services: { couch: Couch; gateway: CardGateway },
  request: { orderId: string; deviceId: string; currency?: string | undefined },
): Promise<CardIntent & { paymentId: string; orderId: string }> {
  const { couch, gateway } = services;
  const book = await readOrderBook(couch, request.orderId);
  const { paymentId, amount, currency } = duePayment(book, request.currency);
  const records = couch.server.use<Doc>(authorityDb);
  const known = await getDoc<IntentRecord>(records, intentRecordId(paymentId));
  const intent = known
    ? await gateway.retrieveIntent(known.paymentIntentId)
    : await gateway.createIntent({
        orderId: request.orderId,
        paymentId,
        deviceId: request.deviceId,
        amount,
        currency,
      });
  if (!known) {
    const record: IntentRecord = {
      _id: intentRecordId(paymentId),
      paymentIntentId: intent.paymentIntentId,
      orderId: request.orderId,
      paymentId,
    };
    // A 409: another request recorded it first, with the same intent (the idempotency key).
    await records.insert(record).catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    });
  }
  return { ...intent, paymentId, orderId: request.orderId };
}
