// The manager's finance view, given the log a manager's device holds: revenue by concert, level, day (in the venue's
// time zone), desk, staff and payment method, each figure naming the facts behind it; refunds subtracted; seats sold,
// held and scanned; every desk's shifts; invoices with the numbers the authority gave them; filters by date and concert.
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import { parseEventDoc } from '../events/catalogue';
import { decideCashDrawer, evolveCashDrawer, initialCashDrawerState } from '../finance/cash-drawer';
import type { CashDrawerCommand, CashDrawerState } from '../finance/cash-drawer';
import { orderStream } from '../events/order-flow';
import { saleReservationIdFor, ticketIdsFor } from '../order/order';
import { ConcertLogBuilder, nextId, price } from './concert-log.fixtures';
import { factStream } from './databases';
import { dayIn, projectFinance, splitAmount } from './finance-view';

const concertId = 'brodka-arena';

function soldLog() {
  const log = new ConcertLogBuilder(concertId, [
    { name: 'Front', capacity: 3 },
    { name: 'Back', capacity: 10 },
  ]).publish();
  const a = log.sale('desk-a', 'Front', 2, 'pool', { userId: 'anna' });
  const aDecision = log.decide(a);
  const b = log.sale('desk-b', 'Back', 1, 'pool', { userId: 'bartek' });
  log.decide(b);
  // Two more than the one seat left: rejected, so never revenue.
  const rejected = log.sale('desk-a', 'Front', 2, 'pool', { userId: 'anna' });
  log.decide(rejected);
  return { log, a, aDecision, b, rejected };
}

const refund = (log: ConcertLogBuilder, sale: FactDoc<'SaleRecorded'>, tickets: number, deviceId: string) =>
  log.decide(
    log.fact(
      'SaleRefundRequested',
      (refundId) => ({
        refundId,
        saleId: sale._id,
        concertId,
        ticketIds: ticketIdsFor(saleReservationIdFor(sale._id), sale.data.quantity).slice(0, tickets),
        amount: price * tickets,
        currency: 'PLN',
      }),
      { deviceId, userId: 'celina' },
    ),
  );

describe('revenue from the desks’ cash sales', () => {
  it('counts the sales the concert allocated, by every dimension, and names the facts behind each figure', () => {
    const { log, a, aDecision, b, rejected } = soldLog();
    const view = projectFinance(log.docs);

    expect(view.total).toEqual([
      expect.objectContaining({ currency: 'PLN', sales: 3 * price, refunds: 0, net: 3 * price, tickets: 3 }),
    ]);
    expect(view.by.concert).toEqual([
      expect.objectContaining({ key: concertId, net: 3 * price, lines: [a._id, b._id] }),
    ]);
    expect(view.by.level.map((f) => [f.key, f.net])).toEqual([
      [`${concertId} · Back`, price],
      [`${concertId} · Front`, 2 * price],
    ]);
    expect(view.by.desk.map((f) => [f.key, f.net])).toEqual([
      ['desk-a', 2 * price],
      ['desk-b', price],
    ]);
    expect(view.by.staff.map((f) => [f.key, f.net])).toEqual([
      ['anna', 2 * price],
      ['bartek', price],
    ]);
    expect(view.by.method.map((f) => [f.key, f.net])).toEqual([['cash', 3 * price]]);
    expect(view.lines.find((line) => line.id === a._id)?.facts).toEqual([a._id, aDecision._id]);
    expect(view.lines.some((line) => line.id === rejected._id)).toBe(false);
    expect(view.concerts).toEqual([
      { concertId, name: 'Brodka — Wiosna', timezone: 'Europe/Warsaw', currency: 'PLN' },
    ]);
  });

  it('dates a sale in the venue’s time zone, not UTC', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Front', capacity: 3 }]).publish();
    // 23:30 UTC on 30 April is 01:30 on 1 May in Warsaw.
    log.decide(log.sale('desk-a', 'Front', 1, 'pool', { recordedAt: '2027-04-30T23:30:00.000Z' }));
    expect(projectFinance(log.docs).by.day.map((f) => f.key)).toEqual(['2027-05-01']);
    expect(dayIn('2027-04-30T23:30:00.000Z', 'UTC')).toBe('2027-04-30');
    // A zone the runtime does not know dates in UTC rather than not at all.
    expect(dayIn('2027-04-30T23:30:00.000Z', 'Mars/Olympus')).toBe('2027-04-30');
  });

  it('subtracts a refund of a confirmed sale, lists it, and gives its seats back', () => {
    const { log, a } = soldLog();
    const decision = refund(log, a, 1, 'desk-b');
    const view = projectFinance(log.docs);

    expect(view.total[0]).toMatchObject({ sales: 3 * price, refunds: price, net: 2 * price, tickets: 2 });
    expect(view.refunds).toEqual([
      expect.objectContaining({
        kind: 'refund',
        source: 'sale_refund',
        deskId: 'desk-b',
        staffId: 'celina',
        amount: price,
        tickets: 1,
        facts: [decision.meta.causationId, decision._id, a._id],
      }),
    ]);
    // Revenue of the desk that sold stays its own; the refund is the desk's that handed the cash back.
    expect(view.by.desk.map((f) => [f.key, f.sales, f.refunds])).toEqual([
      ['desk-a', 2 * price, 0],
      ['desk-b', price, price],
    ]);
    expect(view.occupancy).toEqual([
      expect.objectContaining({ concertId, capacity: 13, sold: 2, scanned: 0 }),
    ]);
  });

  it('counts a ticket scanned in once, however often it goes in and out', () => {
    const { log, a } = soldLog();
    const [ticketId] = ticketIdsFor(saleReservationIdFor(a._id), 2);
    const scan = (direction: 'entry' | 'exit', scannedAt: string) =>
      log.decide(
        log.fact(
          'TicketScanned',
          (scanId) => ({
            scanId,
            ticketId: ticketId ?? '',
            concertId,
            gate: 'North',
            direction,
            scannedAt,
            verdict: 'valid' as const,
          }),
          { deviceId: 'scanner-1' },
        ),
      );
    scan('entry', '2027-05-01T18:00:00.000Z');
    scan('exit', '2027-05-01T18:10:00.000Z');
    scan('entry', '2027-05-01T18:20:00.000Z');
    expect(projectFinance(log.docs).occupancy[0]).toMatchObject({ sold: 3, scanned: 1 });
  });

  it('keeps what the date range and the concert filter let through', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Front', capacity: 9 }]).publish();
    log.decide(log.sale('desk-a', 'Front', 1, 'pool', { recordedAt: '2027-04-20T10:00:00.000Z' }));
    log.decide(log.sale('desk-a', 'Front', 2, 'pool', { recordedAt: '2027-04-22T10:00:00.000Z' }));
    const other = new ConcertLogBuilder('other-gig', [{ name: 'Floor', capacity: 9 }]).publish();
    other.decide(other.sale('desk-a', 'Floor', 4, 'pool', { recordedAt: '2027-04-22T10:00:00.000Z' }));
    const docs = [...log.docs, ...other.docs];

    expect(projectFinance(docs, { from: '2027-04-21' }).total[0]?.tickets).toBe(6);
    expect(projectFinance(docs, { to: '2027-04-21' }).total[0]?.tickets).toBe(1);
    expect(projectFinance(docs, { concertId }).total[0]?.tickets).toBe(3);
    expect(projectFinance(docs, { concertId, from: '2027-04-22', to: '2027-04-22' }).total[0]?.tickets).toBe(
      2,
    );
    expect(projectFinance(docs, { concertId }).occupancy.map((o) => o.concertId)).toEqual([concertId]);
  });

  it('reads the same from the documents in any order, and twice over', () => {
    const { log, a } = soldLog();
    refund(log, a, 2, 'desk-a');
    const view = projectFinance(log.docs);
    expect(projectFinance([...log.docs].reverse())).toEqual(view);
    expect(projectFinance([...log.docs, ...log.docs])).toEqual(view);
  });
});

/** An order stream's decisions, chained as the orders authority writes them. */
function orderChain(orderId: string) {
  const docs: AnyEventDoc[] = [];
  let prev: string | null = null;
  return {
    docs,
    decide(type: string, data: unknown, causationId: string, recordedAt = '2027-04-30T12:00:00.000Z') {
      const position = docs.filter((d) => d._id.startsWith(`${orderStream(orderId)}:`)).length;
      const decisionId = `D-${nextId()}`;
      const parsed = parseEventDoc({
        _id: `${orderStream(orderId)}:${String(position).padStart(10, '0')}`,
        type,
        v: 1,
        stream: orderStream(orderId),
        data,
        meta: {
          deviceId: 'authority',
          userId: 'authority',
          recordedAt,
          correlationId: orderId,
          causationId,
          position,
          prev,
          decisionId,
          authorityId: 'test',
        },
      });
      if (!parsed.ok) throw new Error(parsed.reason);
      prev = decisionId;
      docs.push(parsed.doc);
      return parsed.doc as DecisionDoc;
    },
    fact(type: string, data: unknown, deviceId: string, recordedAt = '2027-04-30T11:59:00.000Z') {
      const id = nextId();
      const parsed = parseEventDoc({
        _id: id,
        type,
        v: 1,
        stream: orderStream(orderId),
        data,
        meta: { deviceId, userId: `${deviceId}-user`, recordedAt, correlationId: id, causationId: id },
      });
      if (!parsed.ok) throw new Error(parsed.reason);
      docs.push(parsed.doc);
      return parsed.doc;
    },
  };
}

const staff = { userId: 'dorota', role: 'desk' as const };

/** An order for two levels of one concert (PLN) and one of another (EUR), paid in cash and by card. */
function paidOrder() {
  const orderId = 'order-1';
  const chain = orderChain(orderId);
  const lines = [
    { concertId, level: 'Front', quantity: 1, unitPrice: 10_000, currency: 'PLN' },
    { concertId, level: 'Back', quantity: 2, unitPrice: 5_000, currency: 'PLN' },
    { concertId: 'other-gig', level: 'Floor', quantity: 1, unitPrice: 3_000, currency: 'EUR' },
  ];
  const placed = chain.decide(
    'OrderPlaced',
    {
      orderId,
      cartId: 'cart-1',
      deskSessionId: 'session-1',
      placedBy: staff,
      lines,
      totals: [
        { currency: 'PLN', amount: 20_000 },
        { currency: 'EUR', amount: 3_000 },
      ],
      delivery: { kind: 'printed' },
      placedAt: '2027-04-30T12:00:00.000Z',
      expiresAt: '2027-04-30T12:15:00.000Z',
      reservations: [{ reservationId: 'r1', concertId, lines: [{ level: 'Front', quantity: 1 }] }],
      payments: [
        { paymentId: 'p-pln', amount: 20_000, currency: 'PLN' },
        { paymentId: 'p-eur', amount: 3_000, currency: 'EUR' },
      ],
    },
    'cart-fact',
  );
  const cash = chain.fact(
    'PaymentInitiated',
    {
      paymentId: 'p-pln',
      orderId,
      amount: 20_000,
      currency: 'PLN',
      method: { kind: 'cash', tendered: 20_000, change: 0 },
    },
    'desk-c',
  );
  const paidPln = chain.decide(
    'PaymentSucceeded',
    { paymentId: 'p-pln', orderId, amount: 20_000, currency: 'PLN' },
    cash._id,
  );
  chain.decide(
    'PaymentSucceeded',
    { paymentId: 'p-eur', orderId, amount: 3_000, currency: 'EUR' },
    'webhook-1',
  );
  return { orderId, chain, placed, cash, paidPln };
}

describe('revenue from orders', () => {
  it('splits a payment over the order’s lines in its currency, with the desk and method that took it', () => {
    const { chain, placed, cash, paidPln } = paidOrder();
    const view = projectFinance(chain.docs);
    expect(view.by.level.map((f) => [f.key, f.currency, f.net, f.tickets])).toEqual([
      [`${concertId} · Back`, 'PLN', 10_000, 2],
      [`${concertId} · Front`, 'PLN', 10_000, 1],
      ['other-gig · Floor', 'EUR', 3_000, 1],
    ]);
    expect(view.by.method.map((f) => [f.key, f.currency, f.net])).toEqual([
      ['card', 'EUR', 3_000],
      ['cash', 'PLN', 20_000],
    ]);
    expect(view.by.desk.map((f) => [f.key, f.currency])).toEqual([
      ['desk-c', 'PLN'],
      ['online', 'EUR'],
    ]);
    expect(view.lines.find((line) => line.id === 'p-pln#1')?.facts).toEqual([
      placed._id,
      cash._id,
      paidPln._id,
    ]);
    // Totals are per currency: PLN and EUR are never added.
    expect(view.total.map((f) => [f.currency, f.net])).toEqual([
      ['EUR', 3_000],
      ['PLN', 20_000],
    ]);
  });

  it('subtracts an order’s refund, and a whole refund gives its tickets back', () => {
    const { orderId, chain } = paidOrder();
    chain.decide(
      'PaymentRefunded',
      {
        paymentId: 'p-pln',
        orderId,
        refundId: 'rf-1',
        amount: 20_000,
        currency: 'PLN',
        reason: 'cancelled',
        refundedInTotal: 20_000,
      },
      'cancel-1',
    );
    const pln = projectFinance(chain.docs).total.find((f) => f.currency === 'PLN');
    expect(pln).toMatchObject({ sales: 20_000, refunds: 20_000, net: 0, tickets: 0 });
  });

  it('ignores a decision that is not in its stream’s chain', () => {
    const { chain } = paidOrder();
    const [placed] = chain.docs;
    const orphan = {
      ...(placed as DecisionDoc),
      _id: `${orderStream('order-1')}:0000000009`,
      type: 'PaymentSucceeded',
      data: { paymentId: 'p-x', orderId: 'order-1', amount: 1, currency: 'PLN' },
      meta: { ...(placed as DecisionDoc).meta, position: 9, prev: 'nobody', decisionId: 'D-orphan' },
    } as AnyEventDoc;
    expect(projectFinance([...chain.docs, orphan]).total).toEqual(projectFinance(chain.docs).total);
  });
});

describe('card payments and ticket refunds', () => {
  function cardOrder() {
    const orderId = 'order-card';
    const chain = orderChain(orderId);
    const lines = [{ concertId, level: 'Front', quantity: 2, unitPrice: 10_000, currency: 'PLN' }];
    const totals = [{ currency: 'PLN', amount: 20_000 }];
    const cart = chain.fact(
      'CartConfirmed',
      {
        cartId: 'cart-9',
        orderId,
        deskSessionId: 'session-9',
        staff: { userId: 'desk-d-user', role: 'desk' },
        lines,
        totals,
        delivery: { kind: 'printed' },
        confirmedAt: '2027-04-30T11:58:00.000Z',
      },
      'desk-d',
    );
    chain.decide(
      'OrderPlaced',
      {
        orderId,
        cartId: 'cart-9',
        deskSessionId: 'session-9',
        placedBy: { userId: 'desk-d-user', role: 'desk' },
        lines,
        totals,
        delivery: { kind: 'printed' },
        placedAt: '2027-04-30T12:00:00.000Z',
        expiresAt: '2027-04-30T12:15:00.000Z',
        reservations: [{ reservationId: 'r9', concertId, lines: [{ level: 'Front', quantity: 2 }] }],
        payments: [{ paymentId: 'p-card', amount: 20_000, currency: 'PLN' }],
      },
      cart._id,
    );
    chain.decide(
      'PaymentSucceeded',
      { paymentId: 'p-card', orderId, amount: 20_000, currency: 'PLN', gatewayReference: 'pi_1' },
      'gateway-event-1',
    );
    return { orderId, chain, cart };
  }

  it('counts a card payment the gateway confirmed as card, at the desk whose cart it was', () => {
    const { chain } = cardOrder();
    const view = projectFinance(chain.docs);
    expect(view.by.method.map((f) => [f.key, f.net])).toEqual([['card', 20_000]]);
    expect(view.by.desk.map((f) => f.key)).toEqual(['desk-d']);
    expect(view.by.staff.map((f) => f.key)).toEqual(['desk-d-user']);
  });

  it('subtracts a ticket refund once, even when the gateway later confirms the same refund', () => {
    const { orderId, chain } = cardOrder();
    const asked = chain.fact(
      'TicketsRefundRequested',
      { refundId: 'rf-card', orderId, ticketIds: ['t1'], method: 'card', reason: 'cannot come' },
      'desk-e',
    );
    chain.decide(
      'TicketsRefundAccepted',
      {
        refundId: 'rf-card',
        orderId,
        paymentId: 'p-card',
        method: 'card',
        ticketIds: ['t1'],
        lines: [{ concertId, level: 'Front', ticketIds: ['t1'], amount: 10_000 }],
        amount: 10_000,
        currency: 'PLN',
        reason: 'cannot come',
        deviceId: 'desk-e',
      },
      asked._id,
    );
    chain.decide(
      'PaymentRefunded',
      {
        paymentId: 'p-card',
        orderId,
        refundId: 'rf-card',
        amount: 10_000,
        currency: 'PLN',
        reason: 'cannot come',
        refundedInTotal: 10_000,
      },
      'gateway-event-2',
    );
    const { log } = soldLog();
    const view = projectFinance([...chain.docs, ...log.docs]);
    expect(view.total[0]).toMatchObject({ sales: 50_000, refunds: 10_000, net: 40_000, tickets: 4 });
    // The refunded ticket's seat is sold no more (the desks' sales: 2 Front, 1 Back; less the refunded Front).
    expect(view.occupancy[0]?.levels).toEqual([
      { level: 'Front', capacity: 3, sold: 1 },
      { level: 'Back', capacity: 10, sold: 1 },
    ]);
    expect(view.refunds).toEqual([
      expect.objectContaining({
        source: 'ticket_refund',
        method: 'card',
        deskId: 'desk-e',
        staffId: 'desk-e-user',
        level: 'Front',
        tickets: 1,
        facts: [asked._id, expect.any(String) as string],
      }),
    ]);
  });
});

describe('an order’s refunded tickets voided at the concert', () => {
  it('counts a refunded ticket off the seats sold once, before and after the concert voids it', () => {
    const log = new ConcertLogBuilder(concertId, [
      { name: 'Front', capacity: 5 },
      { name: 'Back', capacity: 10 },
    ]).publish();
    const orderId = 'order-void';
    const [t1] = log.ticketed(orderId, [{ level: 'Front', quantity: 2 }]);
    if (!t1) throw new Error('no ticket');
    const chain = orderChain(orderId);
    chain.decide(
      'TicketsRefundAccepted',
      {
        refundId: 'rf-void',
        orderId,
        paymentId: 'p-void',
        method: 'cash',
        ticketIds: [t1],
        lines: [{ concertId, level: 'Front', ticketIds: [t1], amount: price }],
        amount: price,
        currency: 'PLN',
        reason: 'cannot come',
        deviceId: 'desk-e',
      },
      'refund-fact',
    );
    const sold = () => projectFinance([...log.docs, ...chain.docs]).occupancy[0];
    const refunded = [
      { level: 'Front', capacity: 5, sold: 1 },
      { level: 'Back', capacity: 10, sold: 0 },
    ];
    expect(sold()).toMatchObject({ sold: 1, levels: refunded });
    log.answer(log.voidRequest('rf-void', orderId, [t1]));
    expect(sold()).toMatchObject({ sold: 1, levels: refunded });
  });
});

describe('invoices and credit notes', () => {
  it('lists an invoice with the number the authority gave it and its payment', () => {
    const { orderId, chain } = paidOrder();
    const line = {
      concertId,
      level: 'Front',
      quantity: 1,
      unitPrice: 10_000,
      currency: 'PLN',
      taxRateBp: 800,
      net: 9_259,
      tax: 741,
      gross: 10_000,
    };
    chain.decide(
      'InvoiceCreated',
      {
        invoiceId: 'inv-1',
        orderId,
        customerId: 'walk-in',
        buyer: { name: 'Walk-in customer', taxId: null },
        issuedAt: '2027-04-30T12:01:00.000Z',
        priceBasis: 'gross',
        lines: [line],
        totals: [{ currency: 'PLN', net: 9_259, tax: 741, gross: 10_000 }],
      },
      'x',
    );
    chain.decide(
      'InvoicePaymentRecorded',
      {
        invoiceId: 'inv-1',
        paymentId: 'p-pln',
        method: 'cash',
        amount: 10_000,
        currency: 'PLN',
        reference: null,
        paidAt: '2027-04-30T12:01:00.000Z',
      },
      'y',
    );
    const numbering = orderChain('numbers');
    const numbered = numbering.decide(
      'InvoiceNumberAssigned',
      { series: 'FV', year: 2027, sequence: 1, number: 'FV/2027/000001', documentId: 'inv-1' },
      'z',
    );
    const [document] = projectFinance([...chain.docs, ...numbering.docs]).documents;
    expect(document).toMatchObject({
      documentId: 'inv-1',
      kind: 'invoice',
      number: 'FV/2027/000001',
      lines: [line],
      payments: [{ method: 'cash', amount: 10_000 }],
    });
    expect(document?.facts).toContain(numbered._id);
    expect(projectFinance([...chain.docs, ...numbering.docs], { concertId: 'nope' }).documents).toEqual([]);
  });

  it('lists a credit note with its own number, the invoice it corrects and that invoice’s buyer', () => {
    const { orderId, chain } = paidOrder();
    chain.decide(
      'InvoiceCreated',
      {
        invoiceId: 'inv-2',
        orderId,
        customerId: 'c',
        buyer: { name: 'ACME', taxId: 'PL1' },
        issuedAt: '2027-04-30T12:01:00.000Z',
        priceBasis: 'gross',
        lines: [
          {
            concertId,
            level: 'Front',
            quantity: 1,
            unitPrice: 10_000,
            currency: 'PLN',
            taxRateBp: 800,
            net: 9_259,
            tax: 741,
            gross: 10_000,
          },
        ],
        totals: [{ currency: 'PLN', net: 9_259, tax: 741, gross: 10_000 }],
      },
      'x',
    );
    const credit = {
      creditNoteId: 'cn-1',
      invoiceId: 'inv-2',
      refundId: 'rf-1',
      reason: 'refunded',
      issuedAt: '2027-05-02T09:00:00.000Z',
      lines: [
        { concertId, level: 'Front', currency: 'PLN', taxRateBp: 800, net: 9_259, tax: 741, gross: 10_000 },
      ],
      totals: [{ currency: 'PLN', net: 9_259, tax: 741, gross: 10_000 }],
    };
    chain.decide('CreditNoteIssued', credit, 'y');
    const numbering = orderChain('numbers');
    numbering.decide(
      'InvoiceNumberAssigned',
      { series: 'FV', year: 2027, sequence: 7, number: 'FV/2027/000007', documentId: 'inv-2' },
      'a',
    );
    numbering.decide(
      'InvoiceNumberAssigned',
      { series: 'KOR', year: 2027, sequence: 1, number: 'KOR/2027/000001', documentId: 'cn-1' },
      'b',
    );
    const [newest] = projectFinance([...numbering.docs, ...chain.docs]).documents;
    expect(newest).toMatchObject({
      documentId: 'cn-1',
      kind: 'credit_note',
      number: 'KOR/2027/000001',
      invoiceId: 'inv-2',
      invoiceNumber: 'FV/2027/000007',
      orderId,
      buyer: { name: 'ACME', taxId: 'PL1' },
      reason: 'refunded',
      lines: [expect.objectContaining({ gross: 10_000, quantity: null })],
    });
  });
});

describe('every desk’s shifts (Z-reports)', () => {
  function drawer(deskId: string, commands: (shiftId: string) => CashDrawerCommand[], shiftId: string) {
    let state: CashDrawerState = initialCashDrawerState();
    const docs: AnyEventDoc[] = [];
    for (const command of commands(shiftId))
      for (const event of decideCashDrawer(command, state)) {
        const id = nextId();
        const parsed = parseEventDoc({
          _id: id,
          type: event.type,
          v: 1,
          stream: factStream(event.type, event.data),
          data: event.data,
          meta: {
            deviceId: deskId,
            userId: 'anna',
            recordedAt: '2027-04-30T12:00:00.000Z',
            correlationId: id,
            causationId: id,
          },
        });
        if (!parsed.ok) throw new Error(parsed.reason);
        docs.push(parsed.doc);
        state = evolveCashDrawer(state, event);
      }
    return docs;
  }
  const at = '2027-04-30T12:00:00.000Z';
  const open = (deskId: string, shiftId: string): CashDrawerCommand => ({
    type: 'OpenShift',
    data: { deskId, shiftId, userId: 'anna', float: 20_000, currency: 'PLN', openedAt: at },
  });

  it('reports each shift with its expected cash, the count and the variance, open ones first', () => {
    const closed = drawer(
      'desk-a',
      (shiftId) => [
        open('desk-a', shiftId),
        {
          type: 'RecordCashSale',
          data: { deskId: 'desk-a', shiftId, saleId: 's', amount: 5_000, currency: 'PLN', at },
        },
        {
          type: 'PayCashOut',
          data: {
            deskId: 'desk-a',
            shiftId,
            movementId: 'm',
            amount: 1_000,
            currency: 'PLN',
            reason: 'bank',
            at,
          },
        },
        {
          type: 'CloseShift',
          data: {
            deskId: 'desk-a',
            shiftId,
            userId: 'anna',
            counted: 23_500,
            closedAt: '2027-04-30T20:00:00.000Z',
          },
        },
      ],
      'S1',
    );
    const stillOpen = drawer('desk-b', (shiftId) => [open('desk-b', shiftId)], 'S2');
    const { shifts } = projectFinance([...closed, ...stillOpen]);
    expect(shifts).toEqual([
      expect.objectContaining({
        deskId: 'desk-b',
        shiftId: 'S2',
        expected: 20_000,
        counted: null,
        variance: null,
      }),
      expect.objectContaining({
        deskId: 'desk-a',
        shiftId: 'S1',
        cashSales: 5_000,
        paidOut: 1_000,
        expected: 24_000,
        counted: 23_500,
        variance: -500,
        openedAt: at,
        facts: closed.map((d) => d._id),
      }),
    ]);
    expect(projectFinance([...closed, ...stillOpen], { from: '2027-05-01' }).shifts).toEqual([]);
  });
});

describe('splitAmount', () => {
  it('splits in proportion, in whole units that add up exactly', () => {
    expect(splitAmount(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitAmount(20_000, [10_000, 10_000])).toEqual([10_000, 10_000]);
    expect(splitAmount(7, [0, 0])).toEqual([7, 0]);
    expect(splitAmount(5, [])).toEqual([]);
  });
});
