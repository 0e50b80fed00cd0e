// The Invoice aggregate: one invoice for a whole purchase, its payment, and a credit note for each refund.
// Business rules (from the seeds, made strict):
// - an invoice reflects the purchase exactly: one line per concert and level, quantity × unit price, tax per line
//   (rounded half up, see tax.ts), totals per currency; it has a buyer and at least one line;
// - it is paid by payments in its own currencies, never more than it asks; once a payment is recorded it is never
//   cancelled, only credited;
// - a credit note credits lines of a paid invoice, one credit note per refund, never more than what remains
//   refundable on a line; the credit note that empties a line takes exactly the line's remaining tax, so an invoice
//   credited in full nets to zero to the minor unit;
// - the number (e.g. FV/2026/000123) comes from the authority's numbering stream (invoice-numbering.ts), once paid.
import { assertNever, DomainError } from '../shared/decider';
import type {
  Buyer,
  CreditLine,
  CurrencyTotal,
  InvoiceEvent,
  InvoiceLine,
  PaymentMethod,
  PriceBasis,
} from './events';
import { formatAmount } from './amount';
import { priceLine, taxIncluded, totalsByCurrency } from './tax';

export type InvoiceLineInput = {
  concertId: string;
  level: string;
  quantity: number;
  unitPrice: number;
  currency: string;
  taxRateBp: number;
};

export type InvoiceCommand =
  | {
      type: 'CreateInvoice';
      data: {
        invoiceId: string;
        orderId: string;
        customerId: string;
        buyer: Buyer;
        issuedAt: string;
        priceBasis: PriceBasis;
        lines: InvoiceLineInput[];
      };
    }
  | {
      type: 'RecordInvoicePayment';
      data: {
        invoiceId: string;
        paymentId: string;
        method: PaymentMethod;
        amount: number;
        currency: string;
        reference: string | null;
        paidAt: string;
      };
    }
  | { type: 'CancelInvoice'; data: { invoiceId: string; reason: string; cancelledAt: string } }
  | {
      type: 'IssueCreditNote';
      data: {
        invoiceId: string;
        creditNoteId: string;
        refundId: string;
        reason: string;
        issuedAt: string;
        /** Gross amounts to credit, per invoice line. */
        lines: { concertId: string; level: string; amount: number }[];
      };
    };

type Data<T extends InvoiceCommand['type']> = Extract<InvoiceCommand, { type: T }>['data'];

export type InvoicePayment = Data<'RecordInvoicePayment'>;

export type InvoiceLineState = InvoiceLine & { creditedGross: number; creditedTax: number };

export type CreditNoteState = {
  creditNoteId: string;
  refundId: string;
  issuedAt: string;
  number: string | null;
  totals: CurrencyTotal[];
};

export type ExistingInvoice = {
  /** open: awaiting payment; paid: every currency paid in full; cancelled: before any payment. */
  status: 'open' | 'paid' | 'cancelled';
  invoiceId: string;
  orderId: string;
  customerId: string;
  buyer: Buyer;
  issuedAt: string;
  priceBasis: PriceBasis;
  number: string | null;
  lines: InvoiceLineState[];
  totals: CurrencyTotal[];
  /** Paid so far, per currency. */
  paid: Record<string, number>;
  /** The payment details, in the order they were recorded. */
  payments: InvoicePayment[];
  creditNotes: CreditNoteState[];
};

export type InvoiceState = { status: 'none' } | ExistingInvoice;

export const initialInvoiceState = (): InvoiceState => ({ status: 'none' });

export const invoiceRuleCodes = [
  'invoice_exists',
  'unknown_invoice',
  'missing_buyer',
  'no_lines',
  'invalid_quantity',
  'invalid_price',
  'invalid_tax_rate',
  'invalid_currency',
  'duplicate_line',
  'amount_too_large',
  'invalid_amount',
  'currency_not_invoiced',
  'already_paid',
  'overpayment',
  'invoice_cancelled',
  'invoice_paid',
  'invoice_not_paid',
  'unknown_line',
  'exceeds_refundable',
] as const;
export type InvoiceRuleCode = (typeof invoiceRuleCodes)[number];

export class InvoiceRuleBroken extends DomainError<InvoiceRuleCode> {}

const broken = (code: InvoiceRuleCode, message: string) => new InvoiceRuleBroken(code, message);

const currencyPattern = /^[A-Z]{3}$/;
const lineKey = (line: { concertId: string; level: string }) => `${line.concertId}\u0000${line.level}`;
const lineName = (line: { concertId: string; level: string }) => `"${line.level}" of ${line.concertId}`;

export function decideInvoice(command: InvoiceCommand, state: InvoiceState): InvoiceEvent[] {
  switch (command.type) {
    case 'CreateInvoice':
      return create(command.data, state);
    case 'RecordInvoicePayment':
      return recordPayment(command.data, state);
    case 'CancelInvoice':
      return cancel(command.data, state);
    case 'IssueCreditNote':
      return issueCreditNote(command.data, state);
    default:
      return assertNever(command);
  }
}

function create(data: Data<'CreateInvoice'>, state: InvoiceState): InvoiceEvent[] {
  if (state.status !== 'none') {
    if (state.invoiceId === data.invoiceId) return []; // created before: a replay
    throw broken('invoice_exists', `This stream holds invoice ${state.invoiceId} already.`);
  }
  if (!data.buyer.name.trim()) throw broken('missing_buyer', 'Give the buyer’s name for the invoice.');
  if (data.lines.length === 0) throw broken('no_lines', 'An invoice needs at least one line.');
  const seen = new Set<string>();
  const lines = data.lines.map((line): InvoiceLine => {
    const name = lineName(line);
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      throw broken('invalid_quantity', `The quantity of ${name} must be a whole number of at least 1.`);
    if (!Number.isInteger(line.unitPrice) || line.unitPrice < 0)
      throw broken(
        'invalid_price',
        `The unit price of ${name} must be a whole number of minor units, 0 or more.`,
      );
    if (!Number.isInteger(line.taxRateBp) || line.taxRateBp < 0 || line.taxRateBp > 10_000)
      throw broken('invalid_tax_rate', `The tax rate of ${name} must be between 0 and 10000 basis points.`);
    if (!currencyPattern.test(line.currency))
      throw broken('invalid_currency', `The currency of ${name} must be an ISO 4217 code such as PLN.`);
    if (seen.has(lineKey(line)))
      throw broken('duplicate_line', `${name} appears twice: put its whole quantity on one line.`);
    seen.add(lineKey(line));
    const amounts = priceLine(line, data.priceBasis);
    if (!amounts) throw broken('amount_too_large', `The amount of ${name} is too large to invoice.`);
    return { ...line, ...amounts };
  });
  return [{ type: 'InvoiceCreated', data: { ...data, lines, totals: totalsByCurrency(lines) } }];
}

function recordPayment(data: Data<'RecordInvoicePayment'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state, data.invoiceId);
  if (invoice.payments.some((p) => p.paymentId === data.paymentId)) return [];
  if (invoice.status === 'cancelled')
    throw broken('invoice_cancelled', 'This invoice is cancelled: record the payment on a new invoice.');
  if (!Number.isInteger(data.amount) || data.amount <= 0)
    throw broken('invalid_amount', 'A payment must be a whole number of minor units above zero.');
  const total = invoice.totals.find((t) => t.currency === data.currency);
  if (!total)
    throw broken(
      'currency_not_invoiced',
      `This invoice asks for ${invoice.totals.map((t) => t.currency).join(', ')}, not ${data.currency}.`,
    );
  if (invoice.status === 'paid')
    throw broken('already_paid', 'This invoice is paid in full already: refund the extra payment.');
  const outstanding = total.gross - (invoice.paid[data.currency] ?? 0);
  if (data.amount > outstanding)
    throw broken(
      'overpayment',
      `Only ${formatAmount(outstanding, data.currency)} is outstanding, the payment was ${formatAmount(data.amount, data.currency)}.`,
    );
  return [{ type: 'InvoicePaymentRecorded', data }];
}

function cancel(data: Data<'CancelInvoice'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state, data.invoiceId);
  if (invoice.status === 'cancelled') return [];
  if (invoice.status === 'paid' || invoice.payments.length > 0)
    throw broken(
      'invoice_paid',
      'Money was taken on this invoice: issue a credit note for the refund instead.',
    );
  return [{ type: 'InvoiceCancelled', data }];
}

function issueCreditNote(data: Data<'IssueCreditNote'>, state: InvoiceState): InvoiceEvent[] {
  const invoice = existing(state, data.invoiceId);
  const handled = invoice.creditNotes.some(
    (note) => note.creditNoteId === data.creditNoteId || note.refundId === data.refundId,
  );
  if (handled) return []; // one credit note per refund
  if (invoice.status === 'cancelled')
    throw broken(
      'invoice_cancelled',
      'This invoice was cancelled before payment: there is nothing to refund.',
    );
  if (invoice.status !== 'paid')
    throw broken(
      'invoice_not_paid',
      'This invoice is not paid in full yet: a credit note follows a payment.',
    );
  if (data.lines.length === 0) throw broken('no_lines', 'Say which lines the credit note credits.');
  const seen = new Set<string>();
  const lines = data.lines.map((credit): CreditLine => {
    const name = lineName(credit);
    if (!Number.isInteger(credit.amount) || credit.amount <= 0)
      throw broken('invalid_amount', `The amount credited on ${name} must be a whole number above zero.`);
    const line = invoice.lines.find((l) => lineKey(l) === lineKey(credit));
    if (!line) throw broken('unknown_line', `The invoice has no line for ${name}.`);
    if (seen.has(lineKey(credit)))
      throw broken('duplicate_line', `${name} appears twice: credit its whole amount on one line.`);
    seen.add(lineKey(credit));
    const remaining = line.gross - line.creditedGross;
    if (credit.amount > remaining)
      throw broken(
        'exceeds_refundable',
        `Only ${formatAmount(remaining, line.currency)} remains refundable on ${name}, not ${formatAmount(credit.amount, line.currency)}.`,
      );
    const tax = creditedTax(line, line.creditedGross + credit.amount) - line.creditedTax;
    const { concertId, level, currency, taxRateBp } = line;
    return { concertId, level, currency, taxRateBp, net: credit.amount - tax, tax, gross: credit.amount };
  });
  const { lines: _requested, ...note } = data;
  return [{ type: 'CreditNoteIssued', data: { ...note, lines, totals: totalsByCurrency(lines) } }];
}

/**
 * The tax credited on a line once `gross` of it is credited in all: the tax included in that gross, never more than
 * the line's tax, and all of it once the line is credited in full. Computed on the running sum, not per credit
 * note, so many small credits can't drift from the line's tax by their roundings.
 */
function creditedTax(line: InvoiceLine, gross: number): number {
  if (gross === line.gross) return line.tax;
  return Math.min(line.tax, taxIncluded(gross, line.taxRateBp));
}

function existing(state: InvoiceState, invoiceId: string): ExistingInvoice {
  if (state.status === 'none' || state.invoiceId !== invoiceId)
    throw broken('unknown_invoice', `There is no invoice ${invoiceId}.`);
  return state;
}

export function evolveInvoice(state: InvoiceState, event: InvoiceEvent): InvoiceState {
  switch (event.type) {
    case 'InvoiceCreated': {
      const { lines, totals } = event.data;
      return {
        ...event.data,
        // Nothing to pay (free tickets only) is settled as soon as it is invoiced.
        status: totals.every((t) => t.gross === 0) ? 'paid' : 'open',
        number: null,
        lines: lines.map((line) => ({ ...line, creditedGross: 0, creditedTax: 0 })),
        paid: {},
        payments: [],
        creditNotes: [],
      };
    }
    case 'InvoicePaymentRecorded': {
      if (state.status === 'none') return state;
      const { currency, amount } = event.data;
      const paid = { ...state.paid, [currency]: (state.paid[currency] ?? 0) + amount };
      const settled = state.totals.every((t) => (paid[t.currency] ?? 0) >= t.gross);
      return {
        ...state,
        status: settled ? 'paid' : state.status,
        paid,
        payments: [...state.payments, event.data],
      };
    }
    case 'InvoiceCancelled':
      return state.status === 'none' ? state : { ...state, status: 'cancelled' };
    case 'CreditNoteIssued': {
      if (state.status === 'none') return state;
      const { creditNoteId, refundId, issuedAt, lines: credits, totals } = event.data;
      const lines = state.lines.map((line) => {
        const credit = credits.find((c) => lineKey(c) === lineKey(line));
        if (!credit) return line;
        return {
          ...line,
          creditedGross: line.creditedGross + credit.gross,
          creditedTax: line.creditedTax + credit.tax,
        };
      });
      const note: CreditNoteState = { creditNoteId, refundId, issuedAt, number: null, totals };
      return { ...state, lines, creditNotes: [...state.creditNotes, note] };
    }
    case 'InvoiceNumberAssigned': {
      if (state.status === 'none') return state;
      const { documentId, number } = event.data;
      if (documentId === state.invoiceId) return { ...state, number };
      const creditNotes = state.creditNotes.map((note) =>
        note.creditNoteId === documentId ? { ...note, number } : note,
      );
      return { ...state, creditNotes };
    }
    default:
      return assertNever(event);
  }
}

export const invoiceDecider = {
  decide: decideInvoice,
  evolve: evolveInvoice,
  initialState: initialInvoiceState,
};

/** What can still be refunded, per currency: gross invoiced less gross credited. */
export function refundable(state: InvoiceState): CurrencyTotal[] {
  if (state.status !== 'paid') return [];
  return totalsByCurrency(
    state.lines.map((line) => ({
      currency: line.currency,
      net: line.net - (line.creditedGross - line.creditedTax),
      tax: line.tax - line.creditedTax,
      gross: line.gross - line.creditedGross,
    })),
  );
}

/**
 * The documents of this invoice still waiting for a number: the invoice once paid, then each credit note. The
 * authority asks the numbering stream of the document's series (say FV for invoices, KOR for credit notes) and of
 * the year it was issued in.
 */
export function awaitingNumbers(
  state: InvoiceState,
): { documentId: string; kind: 'invoice' | 'credit_note'; issuedAt: string }[] {
  if (state.status !== 'paid') return [];
  const invoice =
    state.number === null
      ? [{ documentId: state.invoiceId, kind: 'invoice' as const, issuedAt: state.issuedAt }]
      : [];
  const notes = state.creditNotes
    .filter((note) => note.number === null)
    .map((note) => ({
      documentId: note.creditNoteId,
      kind: 'credit_note' as const,
      issuedAt: note.issuedAt,
    }));
  return [...invoice, ...notes];
}
