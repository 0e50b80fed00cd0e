// The invoice of a purchase: its lines and totals, its payment, its cancellation before payment, its credit notes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { InvoiceEvent, InvoiceLine, PriceBasis } from './events';
import {
  awaitingNumbers,
  decideInvoice,
  evolveInvoice,
  initialInvoiceState,
  invoiceDecider,
  refundable,
} from './invoice';
import type { InvoiceCommand, InvoiceLineInput, InvoiceState } from './invoice';

const given = specification(invoiceDecider);

const kwiat = 'kwiat-jabloni-torwar-2026';
const podsiadlo = 'dawid-podsiadlo-narodowy-2026';
const invoiceId = 'inv-1';
const buyer = { name: 'Anna Nowak', taxId: null };
const issuedAt = '2026-11-21T18:45:00.000+01:00';

const regular: InvoiceLineInput = {
  concertId: kwiat,
  level: 'Regular',
  quantity: 2,
  unitPrice: 15_000,
  currency: 'PLN',
  taxRateBp: 800,
};
const golden: InvoiceLineInput = { ...regular, level: 'Golden Circle', quantity: 1, unitPrice: 30_000 };
const euro: InvoiceLineInput = {
  concertId: podsiadlo,
  level: 'Regular',
  quantity: 1,
  unitPrice: 5_000,
  currency: 'EUR',
  taxRateBp: 2_300,
};

// Priced by hand: prices include tax, tax per line rounded half up.
const regularLine: InvoiceLine = { ...regular, net: 27_778, tax: 2_222, gross: 30_000 }; // 300 × 8/108 = 22.222…
const goldenLine: InvoiceLine = { ...golden, net: 27_778, tax: 2_222, gross: 30_000 };
const euroLine: InvoiceLine = { ...euro, net: 4_065, tax: 935, gross: 5_000 }; // 50 × 23/123 = 9.3495…

const createData = (lines: InvoiceLineInput[] = [regular, golden, euro]) => ({
  invoiceId,
  orderId: 'order-1',
  customerId: 'customer-1',
  buyer,
  issuedAt,
  priceBasis: 'gross' as PriceBasis,
  lines,
});

// Commands
const create = (
  lines?: InvoiceLineInput[],
  overrides: Partial<ReturnType<typeof createData>> = {},
): InvoiceCommand => ({
  type: 'CreateInvoice',
  data: { ...createData(lines), ...overrides },
});
const pay = (paymentId: string, amount: number, currency = 'PLN', id = invoiceId): InvoiceCommand => ({
  type: 'RecordInvoicePayment',
  data: {
    invoiceId: id,
    paymentId,
    method: currency === 'PLN' ? 'cash' : 'card',
    amount,
    currency,
    reference: currency === 'PLN' ? null : `pi_${paymentId}`,
    paidAt: '2026-11-21T18:46:00.000+01:00',
  },
});
const cancel = (id = invoiceId): InvoiceCommand => ({
  type: 'CancelInvoice',
  data: {
    invoiceId: id,
    reason: 'The customer left before paying.',
    cancelledAt: '2026-11-21T18:50:00.000+01:00',
  },
});
const credit = (
  refundId: string,
  lines: { concertId?: string; level: string; amount: number }[],
  creditNoteId = `cn-${refundId}`,
): InvoiceCommand => ({
  type: 'IssueCreditNote',
  data: {
    invoiceId,
    creditNoteId,
    refundId,
    reason: 'Refund at the desk.',
    issuedAt: '2026-11-22T10:00:00.000+01:00',
    lines: lines.map((l) => ({ concertId: kwiat, ...l })),
  },
});

// Events
const created = (
  lines: InvoiceLine[] = [regularLine, goldenLine, euroLine],
  overrides = {},
): InvoiceEvent => ({
  type: 'InvoiceCreated',
  data: {
    ...createData(),
    lines,
    totals: [
      ...(lines.some((l) => l.currency === 'EUR')
        ? [{ currency: 'EUR', net: 4_065, tax: 935, gross: 5_000 }]
        : []),
      { currency: 'PLN', net: 55_556, tax: 4_444, gross: 60_000 },
    ],
    ...overrides,
  },
});
const paid = (command: InvoiceCommand): InvoiceEvent => {
  if (command.type !== 'RecordInvoicePayment') throw new Error('not a payment');
  return { type: 'InvoicePaymentRecorded', data: command.data };
};
const paidInFull = [created(), paid(pay('p1', 60_000)), paid(pay('p2', 5_000, 'EUR'))];
const cancelled: InvoiceEvent = {
  type: 'InvoiceCancelled',
  data: {
    invoiceId,
    reason: 'The customer left before paying.',
    cancelledAt: '2026-11-21T18:50:00.000+01:00',
  },
};
const credited = (
  refundId: string,
  lines: { level: string; tax: number; gross: number }[],
  creditNoteId = `cn-${refundId}`,
): InvoiceEvent => {
  const full = lines.map(({ level, tax, gross }) => ({
    concertId: kwiat,
    level,
    currency: 'PLN',
    taxRateBp: 800,
    net: gross - tax,
    tax,
    gross,
  }));
  const sum = (k: 'net' | 'tax' | 'gross') => full.reduce((s, l) => s + l[k], 0);
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId,
      invoiceId,
      refundId,
      reason: 'Refund at the desk.',
      issuedAt: '2026-11-22T10:00:00.000+01:00',
      lines: full,
      totals: [{ currency: 'PLN', net: sum('net'), tax: sum('tax'), gross: sum('gross') }],
    },
  };
};
const numbered = (documentId: string, sequence: number, series = 'FV'): InvoiceEvent => ({
  type: 'InvoiceNumberAssigned',
  data: {
    series,
    year: 2026,
    sequence,
    number: `${series}/2026/${String(sequence).padStart(6, '0')}`,
    documentId,
  },
});

const stateOf = (events: InvoiceEvent[]): InvoiceState => fold(evolveInvoice, initialInvoiceState(), events);

describe('creating an invoice for a purchase', () => {
  it('has one line per concert and level, tax per line, and totals per currency', () => {
    given([]).when(create()).then([created()]);
  });

  it('adds tax to prices that are before tax', () => {
    const line = { ...regular, quantity: 1, unitPrice: 1_050, taxRateBp: 2_300 };
    given([])
      .when(create([line], { priceBasis: 'net' }))
      .then([
        {
          type: 'InvoiceCreated',
          data: {
            ...createData([line]),
            priceBasis: 'net',
            lines: [{ ...line, net: 1_050, tax: 242, gross: 1_292 }], // 2.415 → 2.42
            totals: [{ currency: 'PLN', net: 1_050, tax: 242, gross: 1_292 }],
          },
        },
      ]);
  });

  it('opens awaiting payment, without a number', () => {
    expect(stateOf([created()])).toMatchObject({ status: 'open', number: null, paid: {}, payments: [] });
  });

  it('settles an invoice with nothing to pay at once', () => {
    const free = { ...regular, unitPrice: 0 };
    const [event] = decideInvoice(create([free]), initialInvoiceState());
    expect(stateOf([event!]).status).toBe('paid');
  });

  it('is created once: creating it again changes nothing', () => {
    given([created()]).when(create()).then([]);
  });

  it('refuses a second invoice in the same stream', () => {
    given([created()])
      .when(create(undefined, { invoiceId: 'inv-2' }))
      .thenThrows('invoice_exists');
  });

  it('needs the buyer’s name', () => {
    given([])
      .when(create(undefined, { buyer: { name: '  ', taxId: null } }))
      .thenThrows('missing_buyer');
  });

  it('needs at least one line', () => {
    given([]).when(create([])).thenThrows('no_lines');
  });

  it.each([0, -1, 1.5])('refuses a quantity of %d', (quantity) => {
    given([])
      .when(create([{ ...regular, quantity }]))
      .thenThrows('invalid_quantity');
  });

  it.each([-1, 10.5])('refuses a unit price of %d', (unitPrice) => {
    given([])
      .when(create([{ ...regular, unitPrice }]))
      .thenThrows('invalid_price');
  });

  it.each([-1, 10_001, 22.5])('refuses a tax rate of %d basis points', (taxRateBp) => {
    given([])
      .when(create([{ ...regular, taxRateBp }]))
      .thenThrows('invalid_tax_rate');
  });

  it('refuses a currency that is not an ISO code', () => {
    given([])
      .when(create([{ ...regular, currency: 'zł' }]))
      .thenThrows('invalid_currency');
  });

  it('refuses the same concert and level on two lines', () => {
    given([])
      .when(create([regular, { ...regular, quantity: 1 }]))
      .thenThrows('duplicate_line');
  });

  it('refuses an amount too large to hold exactly', () => {
    given([])
      .when(create([{ ...regular, quantity: 1000, unitPrice: Number.MAX_SAFE_INTEGER }]))
      .thenThrows('amount_too_large');
  });
});

describe('recording the payment', () => {
  it('records the payment’s details', () => {
    given([created()])
      .when(pay('p1', 60_000))
      .then([paid(pay('p1', 60_000))]);
  });

  it('is paid once every currency is paid in full', () => {
    const state = stateOf([created(), paid(pay('p1', 20_000)), paid(pay('p2', 40_000))]);
    expect(state).toMatchObject({ status: 'open', paid: { PLN: 60_000 } });
    const settled = stateOf([...paidInFull]);
    expect(settled).toMatchObject({ status: 'paid', paid: { PLN: 60_000, EUR: 5_000 } });
    if (settled.status === 'none') throw new Error('no invoice');
    expect(settled.payments.map((p) => [p.paymentId, p.method, p.reference])).toEqual([
      ['p1', 'cash', null],
      ['p2', 'card', 'pi_p2'],
    ]);
  });

  it('takes part payments up to what is outstanding', () => {
    given([created(), paid(pay('p1', 20_000))])
      .when(pay('p2', 40_000))
      .then([paid(pay('p2', 40_000))]);
  });

  it('records a payment once: the same payment again changes nothing', () => {
    given([created(), paid(pay('p1', 20_000))])
      .when(pay('p1', 20_000))
      .then([]);
    given(paidInFull)
      .when(pay('p2', 5_000, 'EUR'))
      .then([]);
  });

  it('refuses more than is outstanding', () => {
    given([created(), paid(pay('p1', 20_000))])
      .when(pay('p2', 40_001))
      .thenThrows('overpayment');
  });

  it('refuses a payment on an invoice paid in full', () => {
    given(paidInFull).when(pay('p3', 1)).thenThrows('already_paid');
  });

  it('refuses a currency the invoice does not ask for', () => {
    given([created()])
      .when(pay('p1', 100, 'USD'))
      .thenThrows('currency_not_invoiced');
  });

  it.each([0, -100, 0.5])('refuses an amount of %d', (amount) => {
    given([created()]).when(pay('p1', amount)).thenThrows('invalid_amount');
  });

  it('refuses a payment on a cancelled invoice', () => {
    given([created(), cancelled]).when(pay('p1', 60_000)).thenThrows('invoice_cancelled');
  });

  it('refuses an invoice that does not exist', () => {
    given([]).when(pay('p1', 60_000)).thenThrows('unknown_invoice');
    given([created()])
      .when(pay('p1', 60_000, 'PLN', 'inv-2'))
      .thenThrows('unknown_invoice');
  });
});

describe('cancelling before payment', () => {
  it('cancels an invoice nobody paid', () => {
    given([created()]).when(cancel()).then([cancelled]);
  });

  it('cancels once: cancelling again changes nothing', () => {
    given([created(), cancelled]).when(cancel()).then([]);
  });

  it('refuses once money was taken, even in part', () => {
    given([created(), paid(pay('p1', 100))])
      .when(cancel())
      .thenThrows('invoice_paid');
    given(paidInFull).when(cancel()).thenThrows('invoice_paid');
  });

  it('refuses a settled free invoice', () => {
    const free = { ...regularLine, unitPrice: 0, net: 0, tax: 0, gross: 0 };
    given([created([free], { totals: [{ currency: 'PLN', net: 0, tax: 0, gross: 0 }] })])
      .when(cancel())
      .thenThrows('invoice_paid');
  });

  it('refuses an invoice that does not exist', () => {
    given([]).when(cancel()).thenThrows('unknown_invoice');
    given([created()]).when(cancel('inv-2')).thenThrows('unknown_invoice');
  });
});

describe('a credit note for a refund', () => {
  it('credits part of a line, with the tax included at the line’s rate', () => {
    given(paidInFull)
      .when(credit('r1', [{ level: 'Regular', amount: 15_000 }]))
      .then([credited('r1', [{ level: 'Regular', tax: 1_111, gross: 15_000 }])]);
  });

  it('credits several lines at once', () => {
    given(paidInFull)
      .when(
        credit('r1', [
          { level: 'Regular', amount: 15_000 },
          { level: 'Golden Circle', amount: 30_000 },
        ]),
      )
      .then([
        credited('r1', [
          { level: 'Regular', tax: 1_111, gross: 15_000 },
          { level: 'Golden Circle', tax: 2_222, gross: 30_000 },
        ]),
      ]);
  });

  it('takes the line’s remaining tax when it empties the line, so a full credit nets to zero', () => {
    // Credited a third at a time: 7.41 + 7.40 + 7.41 = 22.22, where three separate roundings would make 22.23.
    const first = credited('r1', [{ level: 'Golden Circle', tax: 741, gross: 10_000 }]);
    const second = credited('r2', [{ level: 'Golden Circle', tax: 740, gross: 10_000 }]);
    given([...paidInFull, first])
      .when(credit('r2', [{ level: 'Golden Circle', amount: 10_000 }]))
      .then([second]);
    given([...paidInFull, first, second])
      .when(credit('r3', [{ level: 'Golden Circle', amount: 10_000 }]))
      .then([credited('r3', [{ level: 'Golden Circle', tax: 741, gross: 10_000 }])]);
  });

  it('leaves what remains refundable, per currency', () => {
    const state = stateOf([...paidInFull, credited('r1', [{ level: 'Regular', tax: 1_111, gross: 15_000 }])]);
    expect(refundable(state)).toEqual([
      { currency: 'EUR', net: 4_065, tax: 935, gross: 5_000 },
      { currency: 'PLN', net: 41_667, tax: 3_333, gross: 45_000 },
    ]);
    expect(refundable(stateOf([created()]))).toEqual([]);
  });

  it('issues one credit note per refund: the same refund or credit note again changes nothing', () => {
    const first = credited('r1', [{ level: 'Regular', tax: 1_111, gross: 15_000 }]);
    given([...paidInFull, first])
      .when(credit('r1', [{ level: 'Regular', amount: 15_000 }], 'cn-other'))
      .then([]);
    given([...paidInFull, first])
      .when(credit('r-other', [{ level: 'Regular', amount: 15_000 }], 'cn-r1'))
      .then([]);
  });

  it('refuses more than remains refundable on a line', () => {
    given(paidInFull)
      .when(credit('r1', [{ level: 'Regular', amount: 30_001 }]))
      .thenThrows('exceeds_refundable');
    given([...paidInFull, credited('r1', [{ level: 'Regular', tax: 1_111, gross: 15_000 }])])
      .when(credit('r2', [{ level: 'Regular', amount: 15_001 }]))
      .thenThrows('exceeds_refundable');
  });

  it('refuses a line the invoice does not have', () => {
    given(paidInFull)
      .when(credit('r1', [{ level: 'Balcony', amount: 100 }]))
      .thenThrows('unknown_line');
  });

  it('refuses the same line twice in one credit note', () => {
    given(paidInFull)
      .when(
        credit('r1', [
          { level: 'Regular', amount: 100 },
          { level: 'Regular', amount: 100 },
        ]),
      )
      .thenThrows('duplicate_line');
  });

  it('refuses a credit note with no lines', () => {
    given(paidInFull).when(credit('r1', [])).thenThrows('no_lines');
  });

  it.each([0, -1, 2.5])('refuses an amount of %d', (amount) => {
    given(paidInFull)
      .when(credit('r1', [{ level: 'Regular', amount }]))
      .thenThrows('invalid_amount');
  });

  it('refuses an invoice not paid in full', () => {
    given([created()])
      .when(credit('r1', [{ level: 'Regular', amount: 100 }]))
      .thenThrows('invoice_not_paid');
    given([created(), paid(pay('p1', 60_000))])
      .when(credit('r1', [{ level: 'Regular', amount: 100 }]))
      .thenThrows('invoice_not_paid');
  });

  it('refuses a cancelled invoice', () => {
    given([created(), cancelled])
      .when(credit('r1', [{ level: 'Regular', amount: 100 }]))
      .thenThrows('invoice_cancelled');
  });

  it('refuses an invoice that does not exist', () => {
    given([])
      .when(credit('r1', [{ level: 'Regular', amount: 100 }]))
      .thenThrows('unknown_invoice');
  });
});

describe('numbers from the authority', () => {
  const note = credited('r1', [{ level: 'Regular', tax: 1_111, gross: 15_000 }]);

  it('asks for the invoice’s number once it is paid, then for each credit note’s', () => {
    expect(awaitingNumbers(stateOf([created()]))).toEqual([]);
    expect(awaitingNumbers(stateOf(paidInFull))).toEqual([
      { documentId: invoiceId, kind: 'invoice', issuedAt },
    ]);
    expect(awaitingNumbers(stateOf([...paidInFull, note]))).toEqual([
      { documentId: invoiceId, kind: 'invoice', issuedAt },
      { documentId: 'cn-r1', kind: 'credit_note', issuedAt: '2026-11-22T10:00:00.000+01:00' },
    ]);
    expect(awaitingNumbers(stateOf([...paidInFull, numbered(invoiceId, 123), note]))).toEqual([
      { documentId: 'cn-r1', kind: 'credit_note', issuedAt: '2026-11-22T10:00:00.000+01:00' },
    ]);
  });

  it('puts each number on its document and ignores numbers of other documents', () => {
    const state = stateOf([
      ...paidInFull,
      note,
      numbered(invoiceId, 123),
      numbered('cn-r1', 7, 'KOR'),
      numbered('inv-other', 124),
    ]);
    expect(state).toMatchObject({ number: 'FV/2026/000123', creditNotes: [{ number: 'KOR/2026/000007' }] });
    expect(awaitingNumbers(state)).toEqual([]);
  });
});

describe('folding a history', () => {
  it('ignores events of an invoice it has not seen created', () => {
    const events: InvoiceEvent[] = [
      paid(pay('p1', 100)),
      cancelled,
      credited('r1', [{ level: 'Regular', tax: 0, gross: 1 }]),
      numbered(invoiceId, 1),
    ];
    for (const event of events)
      expect(evolveInvoice(initialInvoiceState(), event)).toEqual({ status: 'none' });
  });
});

describe('credit notes, for any sequence of refunds', () => {
  const line = fc.record({
    quantity: fc.integer({ min: 1, max: 5 }),
    unitPrice: fc.integer({ min: 0, max: 50_000 }),
    taxRateBp: fc.oneof(fc.constantFrom(0, 500, 800, 2_300), fc.integer({ min: 0, max: 10_000 })),
    currency: fc.constantFrom('PLN', 'EUR'),
  });
  /** How much of a line a refund asks for: what is left of it, a share of it, a few units, or too much. */
  const portion = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ kind: 'rest' as const, n: 0 }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('percent' as const), n: fc.integer({ min: 1, max: 100 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('units' as const), n: fc.integer({ min: -1, max: 50 }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('over' as const), n: fc.integer({ min: 1, max: 100 }) }),
    },
  );
  /** A refund of up to three of an invoice's n lines; now and then of line n, which the invoice does not have. */
  const refundOf = (n: number) =>
    fc.record({
      refundId: fc.integer({ min: 1, max: 40 }).map((i) => `r${i}`),
      lines: fc.uniqueArray(
        fc.record({
          line: fc.oneof({ weight: 15, arbitrary: fc.nat(n - 1) }, { weight: 1, arbitrary: fc.constant(n) }),
          portion,
        }),
        { minLength: 1, maxLength: 3, selector: (c) => c.line },
      ),
    });
  const invoiceAndRefunds = fc
    .array(line, { minLength: 1, maxLength: 4 })
    .chain((lines) => fc.tuple(fc.constant(lines), fc.array(refundOf(lines.length), { maxLength: 30 })));

  it('never exceed the invoice’s gross, per line and per currency; a full credit nets tax to zero', () => {
    fc.assert(
      fc.property(
        invoiceAndRefunds,
        fc.constantFrom('gross' as const, 'net' as const),
        ([inputs, refunds], priceBasis) => {
          const lines = inputs.map((l, i) => ({ ...l, concertId: kwiat, level: `Level ${i}` }));
          let state = initialInvoiceState();
          const run = (command: InvoiceCommand): InvoiceEvent[] => {
            try {
              const events = decideInvoice(command, state);
              state = fold(evolveInvoice, state, events);
              return events;
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              return [];
            }
          };
          const [invoice] = run(create(lines, { priceBasis }));
          if (invoice?.type !== 'InvoiceCreated') throw new Error('no invoice');
          invoice.data.totals.forEach((t, i) => t.gross > 0 && run(pay(`p${i}`, t.gross, t.currency)));
          expect(state.status).toBe('paid');

          const amountOf = (index: number, portion: { kind: string; n: number }): number => {
            const current = state.status === 'none' ? undefined : state.lines[index];
            if (!current) return 100; // a line the invoice does not have
            const left = current.gross - current.creditedGross;
            if (portion.kind === 'rest') return left;
            if (portion.kind === 'percent') return Math.ceil((left * portion.n) / 100);
            if (portion.kind === 'over') return left + portion.n;
            return portion.n;
          };
          const notes = refunds.flatMap(({ refundId, lines: credits }) =>
            run(
              credit(
                refundId,
                credits.map((c) => ({ level: `Level ${c.line}`, amount: amountOf(c.line, c.portion) })),
              ),
            ),
          );

          for (const invoiced of invoice.data.lines) {
            const credits = notes.flatMap((n) =>
              n.type === 'CreditNoteIssued' ? n.data.lines.filter((l) => l.level === invoiced.level) : [],
            );
            const gross = credits.reduce((s, c) => s + c.gross, 0);
            const tax = credits.reduce((s, c) => s + c.tax, 0);
            expect(gross).toBeLessThanOrEqual(invoiced.gross);
            expect(tax).toBeLessThanOrEqual(invoiced.tax);
            if (gross === invoiced.gross) expect(tax).toBe(invoiced.tax);
            for (const c of credits) {
              expect(c.net + c.tax).toBe(c.gross);
              expect(Math.min(c.net, c.tax)).toBeGreaterThanOrEqual(0);
            }
          }
          for (const total of invoice.data.totals) {
            const creditedGross = notes
              .flatMap((n) => (n.type === 'CreditNoteIssued' ? n.data.totals : []))
              .filter((t) => t.currency === total.currency)
              .reduce((s, t) => s + t.gross, 0);
            expect(creditedGross).toBeLessThanOrEqual(total.gross);
            const left = refundable(state).find((t) => t.currency === total.currency);
            expect(left?.gross).toBe(total.gross - creditedGross);
          }
          // One credit note per refund.
          const refundIds = notes.map((n) => (n.type === 'CreditNoteIssued' ? n.data.refundId : ''));
          expect(new Set(refundIds).size).toBe(refundIds.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
