// The desk's view of an order's money: how it was paid, its tickets, and each refund from asked to credited.
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc } from '../events/catalogue';
import { priceTickets, projectOrderMoney } from './refund-view';

const meta = (id: string, cause = id) => ({
  deviceId: 'desk-1',
  userId: 'u1',
  recordedAt: '2026-11-22T10:00:00Z',
  correlationId: id,
  causationId: cause,
});
let position = 0;
let prev: string | null = null;
function decision(type: string, data: unknown, cause: string): AnyEventDoc {
  const decisionId = `d${position}`;
  const doc = {
    _id: `order-o1:${String(position).padStart(10, '0')}`,
    type,
    v: 1,
    stream: 'order-o1',
    data,
    meta: { ...meta(decisionId, cause), position, prev, decisionId, authorityId: 'a' },
  };
  position += 1;
  prev = decisionId;
  return doc as unknown as AnyEventDoc;
}

describe('an order’s money at the desk', () => {
  it('shows a card payment, its tickets, a refund credited with its number, and a refusal with its reason', () => {
    const asked = (refundId: string, ticketIds: string[]) =>
      ({
        _id: refundId,
        type: 'TicketsRefundRequested',
        v: 1,
        stream: 'order-o1',
        data: { refundId, orderId: 'o1', ticketIds, method: 'card', reason: 'ill' },
        meta: meta(refundId),
      }) as AnyEventDoc;
    const docs: AnyEventDoc[] = [
      decision(
        'PaymentSucceeded',
        { paymentId: 'p1', orderId: 'o1', amount: 600, currency: 'PLN', gatewayReference: 'pi_1' },
        'f1',
      ),
      decision('OrderTicketsIssued', { orderId: 'o1', concertId: 'c1', ticketIds: ['t1', 't2'] }, 'f2'),
      asked('R1', ['t2']),
      asked('R2', ['t2']),
      decision(
        'TicketsRefundAccepted',
        {
          refundId: 'R1',
          orderId: 'o1',
          paymentId: 'p1',
          method: 'card',
          ticketIds: ['t2'],
          lines: [],
          amount: 300,
          currency: 'PLN',
          reason: 'ill',
          deviceId: 'desk-1',
        },
        'R1',
      ),
      decision(
        'OrderStepRefused',
        {
          orderId: 'o1',
          step: 'RefundTickets',
          code: 'invalid_refund',
          message: 'Ticket t2 was refunded already.',
        },
        'R2',
      ),
      decision(
        'PaymentRefunded',
        {
          paymentId: 'p1',
          orderId: 'o1',
          refundId: 'R1',
          amount: 300,
          currency: 'PLN',
          reason: 'ill',
          refundedInTotal: 300,
        },
        'g1',
      ),
      decision(
        'CreditNoteIssued',
        {
          creditNoteId: 'R1:credit-note',
          invoiceId: 'o1:invoice',
          refundId: 'R1',
          reason: 'ill',
          issuedAt: '2026-11-22T10:00:00Z',
          lines: [],
          totals: [],
        },
        'x',
      ),
      {
        _id: 'invoice-numbers-KOR-2026:0000000000',
        type: 'InvoiceNumberAssigned',
        v: 1,
        stream: 'invoice-numbers-KOR-2026',
        data: {
          series: 'KOR',
          year: 2026,
          sequence: 1,
          number: 'KOR/2026/000001',
          documentId: 'R1:credit-note',
        },
        meta: { ...meta('n0', 'y'), position: 0, prev: null, decisionId: 'n0', authorityId: 'a' },
      } as unknown as AnyEventDoc,
    ];
    const view = projectOrderMoney(docs, 'o1');
    expect(view.paidBy).toEqual([
      { paymentId: 'p1', method: 'card', reference: 'pi_1', amount: 600, currency: 'PLN' },
    ]);
    expect(view.tickets).toEqual([
      { ticketId: 't1', concertId: 'c1' },
      { ticketId: 't2', concertId: 'c1' },
    ]);
    expect([...view.refundedTickets]).toEqual(['t2']);
    expect(view.refunds).toEqual([
      expect.objectContaining({
        refundId: 'R1',
        status: 'refunded',
        amount: 300,
        creditNote: 'KOR/2026/000001',
      }),
      expect.objectContaining({
        refundId: 'R2',
        status: 'refused',
        message: 'Ticket t2 was refunded already.',
      }),
    ]);
  });
});

describe('the tickets’ prices', () => {
  it('follow the concert’s lines in order, as the authority hands the tickets out', () => {
    const lines = [
      { concertId: 'c1', level: 'Regular', quantity: 2, unitPrice: 100, currency: 'PLN' },
      { concertId: 'c2', level: 'Floor', quantity: 1, unitPrice: 50, currency: 'PLN' },
      { concertId: 'c1', level: 'VIP', quantity: 1, unitPrice: 300, currency: 'PLN' },
    ];
    const tickets = ['a', 'b', 'c'].map((ticketId) => ({ ticketId, concertId: 'c1' }));
    expect(
      priceTickets(lines, [...tickets, { ticketId: 'f', concertId: 'c2' }]).map((t) => [
        t.ticketId,
        t.level,
        t.unitPrice,
      ]),
    ).toEqual([
      ['a', 'Regular', 100],
      ['b', 'Regular', 100],
      ['c', 'VIP', 300],
      ['f', 'Floor', 50],
    ]);
  });
});
