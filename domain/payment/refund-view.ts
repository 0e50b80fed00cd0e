// What a desk shows of one paid order's money: how it was paid (cash, or card with the PaymentIntent), its tickets and
// which are refunded, the refunds asked for and their outcome (waiting for the authority or the gateway, refunded,
// refused with the reason), and the credit notes with their numbers. A projection of the orders database's documents.
import type { AnyEventDoc, DataOf, DecisionDoc } from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { orderStream } from '../events/order-flow';
import { emptyChain, followChain } from '../log/stream';

export type RefundStatus = 'asked' | 'accepted' | 'refunded' | 'refused';

export type RefundView = {
  refundId: string;
  ticketIds: string[];
  method: 'cash' | 'card';
  amount: number | null;
  currency: string | null;
  status: RefundStatus;
  message: string | null;
  creditNote: string | null;
};

export type OrderMoneyView = {
  orderId: string;
  /** How each payment was captured: by card (with the gateway's reference) or in cash. */
  paidBy: {
    paymentId: string;
    method: 'cash' | 'card';
    reference: string | null;
    amount: number;
    currency: string;
  }[];
  tickets: { ticketId: string; concertId: string }[];
  refundedTickets: Set<string>;
  refunds: RefundView[];
};

export function projectOrderMoney(docs: Iterable<AnyEventDoc>, orderId: string): OrderMoneyView {
  const stream = orderStream(orderId);
  const decisions: DecisionDoc[] = [];
  const asked: DataOf<'TicketsRefundRequested'>[] = [];
  const numbers = new Map<string, string>();
  for (const doc of docs) {
    if (doc.type === 'TicketsRefundRequested' && doc.data.orderId === orderId) asked.push(doc.data);
    else if (isDecision(doc) && doc.type === 'InvoiceNumberAssigned')
      numbers.set(doc.data.documentId, doc.data.number);
    else if (isDecision(doc) && doc.stream === stream) decisions.push(doc);
  }
  const { accepted } = followChain(
    emptyChain(),
    decisions.map((doc) => ({ ...doc.meta, doc })),
  );
  const view: OrderMoneyView = { orderId, paidBy: [], tickets: [], refundedTickets: new Set(), refunds: [] };
  const refunds = new Map<string, RefundView>(
    asked.map((a) => [
      a.refundId,
      {
        refundId: a.refundId,
        ticketIds: a.ticketIds,
        method: a.method,
        amount: null,
        currency: null,
        status: 'asked',
        message: null,
        creditNote: null,
      },
    ]),
  );
  for (const { doc } of accepted) {
    switch (doc.type) {
      case 'PaymentSucceeded': {
        const { paymentId, amount, currency, gatewayReference } = doc.data;
        const method = gatewayReference ? 'card' : 'cash';
        view.paidBy.push({ paymentId, method, reference: gatewayReference ?? null, amount, currency });
        break;
      }
      case 'OrderRecordedFromSale':
        for (const { paymentId, amount, currency } of doc.data.payments)
          view.paidBy.push({ paymentId, method: 'cash', reference: null, amount, currency });
        for (const { concertId, ticketIds } of doc.data.reservations)
          view.tickets.push(...ticketIds.map((ticketId) => ({ ticketId, concertId })));
        break;
      case 'OrderTicketsIssued':
        view.tickets.push(
          ...doc.data.ticketIds.map((ticketId) => ({ ticketId, concertId: doc.data.concertId })),
        );
        break;
      case 'TicketsRefundAccepted': {
        const refund = refunds.get(doc.data.refundId);
        const { amount, currency } = doc.data;
        if (refund) refunds.set(refund.refundId, { ...refund, amount, currency, status: 'accepted' });
        for (const ticketId of doc.data.ticketIds) view.refundedTickets.add(ticketId);
        break;
      }
      case 'PaymentRefunded': {
        const refund = refunds.get(doc.data.refundId);
        if (refund) refunds.set(refund.refundId, { ...refund, status: 'refunded' });
        break;
      }
      case 'CreditNoteIssued': {
        const refund = refunds.get(doc.data.refundId);
        const number = numbers.get(doc.data.creditNoteId) ?? doc.data.creditNoteId;
        if (refund) refunds.set(refund.refundId, { ...refund, creditNote: number });
        break;
      }
      case 'OrderStepRefused': {
        const refund = refunds.get(doc.meta.causationId);
        if (refund) refunds.set(refund.refundId, { ...refund, status: 'refused', message: doc.data.message });
        break;
      }
      default:
        break;
    }
  }
  view.refunds = [...refunds.values()];
  return view;
}

export type PricedTicket = {
  ticketId: string;
  concertId: string;
  level: string;
  unitPrice: number;
  currency: string;
};

/**
 * Each ticket with its level and price, as the authority prices a refund: a concert's tickets are handed out over the
 * order's lines of that concert, in order.
 */
export function priceTickets(
  lines: readonly {
    concertId: string;
    level: string;
    quantity: number;
    unitPrice: number;
    currency: string;
  }[],
  tickets: readonly { ticketId: string; concertId: string }[],
): PricedTicket[] {
  const seen = new Map<string, number>();
  return tickets.flatMap(({ ticketId, concertId }) => {
    const index = seen.get(concertId) ?? 0;
    seen.set(concertId, index + 1);
    let upTo = 0;
    for (const line of lines.filter((l) => l.concertId === concertId)) {
      upTo += line.quantity;
      if (index < upTo)
        return [
          { ticketId, concertId, level: line.level, unitPrice: line.unitPrice, currency: line.currency },
        ];
    }
    return [];
  });
}
