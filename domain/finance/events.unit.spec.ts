// Finance events at the edge: every event the deciders make is valid against its schema, and each has one writer.
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { cashDrawerDecider } from './cash-drawer';
import type { CashDrawerCommand } from './cash-drawer';
import type { FinanceEvent } from './events';
import { financeEventSchemas, financeEventWriters } from './events';
import { financialRecordDecider } from './financial-record';
import type { FinancialRecordCommand } from './financial-record';
import { invoiceDecider } from './invoice';
import type { InvoiceCommand } from './invoice';
import { numberingDecider } from './invoice-numbering';

type AnyDecider<C, E extends FinanceEvent, S> = {
  decide: (command: C, state: S) => E[];
  evolve: (state: S, event: E) => S;
  initialState: () => S;
};

/** Decides the commands one after the other, as a stream would, and returns every event decided. */
function run<C, E extends FinanceEvent, S>(decider: AnyDecider<C, E, S>, commands: C[]): E[] {
  let state = decider.initialState();
  return commands.flatMap((command) => {
    const events = decider.decide(command, state);
    state = fold(decider.evolve, state, events);
    return events;
  });
}

const at = '2026-11-21T18:45:00.000+01:00';
const concertId = 'kwiat-jabloni-torwar-2026';
const invoiceId = 'inv-1';

const invoiceCommands: InvoiceCommand[] = [
  {
    type: 'CreateInvoice',
    data: {
      invoiceId,
      orderId: 'order-1',
      customerId: 'customer-1',
      buyer: { name: 'Anna Nowak', taxId: '5260250274' },
      issuedAt: at,
      priceBasis: 'gross',
      lines: [
        { concertId, level: 'Regular', quantity: 2, unitPrice: 15_000, currency: 'PLN', taxRateBp: 800 },
      ],
    },
  },
  {
    type: 'RecordInvoicePayment',
    data: {
      invoiceId,
      paymentId: 'p1',
      method: 'card',
      amount: 30_000,
      currency: 'PLN',
      reference: 'pi_1',
      paidAt: at,
    },
  },
  {
    type: 'IssueCreditNote',
    data: {
      invoiceId,
      creditNoteId: 'cn-1',
      refundId: 'r1',
      reason: 'One seat refunded.',
      issuedAt: at,
      lines: [{ concertId, level: 'Regular', amount: 15_000 }],
    },
  },
];
const cancelledInvoice: InvoiceCommand[] = [
  invoiceCommands[0]!,
  { type: 'CancelInvoice', data: { invoiceId, reason: 'Order cancelled.', cancelledAt: at } },
];
const recordCommands: FinancialRecordCommand[] = [
  { type: 'OpenFinancialRecord', data: { customerId: 'customer-1', openedAt: at } },
  {
    type: 'RecordCustomerPayment',
    data: {
      customerId: 'customer-1',
      paymentId: 'p1',
      orderId: 'order-1',
      amount: 30_000,
      currency: 'PLN',
      startedAt: at,
    },
  },
  {
    type: 'RecordCustomerPayment',
    data: {
      customerId: 'customer-1',
      paymentId: 'p2',
      orderId: 'order-2',
      amount: 100,
      currency: 'PLN',
      startedAt: at,
    },
  },
  { type: 'CompleteCustomerPayment', data: { customerId: 'customer-1', paymentId: 'p1', completedAt: at } },
  {
    type: 'FailCustomerPayment',
    data: { customerId: 'customer-1', paymentId: 'p2', reason: 'Declined.', failedAt: at },
  },
  {
    type: 'RecordCustomerRefund',
    data: {
      customerId: 'customer-1',
      refundId: 'r1',
      paymentId: 'p1',
      amount: 15_000,
      currency: 'PLN',
      refundedAt: at,
    },
  },
];
const desk = { deskId: 'desk-4', shiftId: 's1' };
const drawerCommands: CashDrawerCommand[] = [
  { type: 'OpenShift', data: { ...desk, userId: 'anna', float: 50_000, currency: 'PLN', openedAt: at } },
  { type: 'RecordCashSale', data: { ...desk, saleId: 'sale-1', amount: 30_000, currency: 'PLN', at } },
  { type: 'RecordCashRefund', data: { ...desk, refundId: 'r1', amount: 15_000, currency: 'PLN', at } },
  {
    type: 'PayCashIn',
    data: { ...desk, movementId: 'm1', amount: 5_000, currency: 'PLN', reason: 'Coins.', at },
  },
  {
    type: 'PayCashOut',
    data: { ...desk, movementId: 'm2', amount: 60_000, currency: 'PLN', reason: 'Banked.', at },
  },
  { type: 'CloseShift', data: { ...desk, userId: 'anna', counted: 9_950, closedAt: at } },
];

describe('finance events', () => {
  const decided: FinanceEvent[] = [
    ...run(invoiceDecider, invoiceCommands),
    ...run(invoiceDecider, cancelledInvoice),
    ...run(numberingDecider, [
      { type: 'AssignInvoiceNumber', data: { series: 'FV', year: 2026, documentId: invoiceId } },
    ]),
    ...run(financialRecordDecider, recordCommands),
    ...run(cashDrawerDecider, drawerCommands),
  ];

  it('are decided of every type', () => {
    expect(new Set(decided.map((e) => e.type))).toEqual(new Set(Object.keys(financeEventSchemas)));
  });

  it('match their schemas exactly, with no field left out or added', () => {
    for (const event of decided)
      expect(financeEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('name one writer per type: a device or the authority', () => {
    expect(Object.keys(financeEventWriters).sort()).toEqual(Object.keys(financeEventSchemas).sort());
    for (const writer of Object.values(financeEventWriters))
      expect(['device', 'authority']).toContain(writer);
  });

  it('refuse what the schemas refuse: floats, negative amounts, unknown currencies', () => {
    const sale = decided.find((e) => e.type === 'DrawerCashSaleRecorded')!;
    const schema = financeEventSchemas.DrawerCashSaleRecorded;
    expect(schema.safeParse({ ...sale.data, amount: 10.5 }).success).toBe(false);
    expect(schema.safeParse({ ...sale.data, amount: -1 }).success).toBe(false);
    expect(schema.safeParse({ ...sale.data, currency: 'zł' }).success).toBe(false);
  });
});

describe('a command of a type no decider knows', () => {
  // Commands arrive from untyped edges too: an unknown type fails loudly instead of being ignored.
  it.each<[string, (c: never) => unknown]>([
    ['the invoice', (c) => invoiceDecider.decide(c, invoiceDecider.initialState())],
    ['the numbering', (c) => numberingDecider.decide(c, numberingDecider.initialState())],
    [
      'the financial record',
      (c) =>
        financialRecordDecider.decide(c, {
          status: 'open',
          customerId: 'x',
          openedAt: at,
          payments: [],
          refundIds: [],
        }),
    ],
    ['the cash drawer', (c) => cashDrawerDecider.decide(c, cashDrawerDecider.initialState())],
    ['the invoice’s history', (e) => invoiceDecider.evolve(invoiceDecider.initialState(), e)],
    ['the numbering’s history', (e) => numberingDecider.evolve(numberingDecider.initialState(), e)],
    ['the record’s history', (e) => financialRecordDecider.evolve(financialRecordDecider.initialState(), e)],
    ['the drawer’s history', (e) => cashDrawerDecider.evolve(cashDrawerDecider.initialState(), e)],
  ])('is refused by %s', (_, handle) => {
    expect(() => handle({ type: 'Unknown', data: { customerId: 'x' } } as never)).toThrow(/Unhandled case/);
  });
});
