// The Finance context: invoices and the numbers the authority gives them, credit notes for refunds, each customer's
// financial record and the cash drawer of each desk. Amounts are integer minor units of an ISO 4217 currency.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as PLN');
/** An amount in minor units (grosze, cents): never a float, never negative (direction is in the event's name). */
export const minorUnitsSchema = z.number().int().nonnegative();
/** Tax rate in basis points: 2300 is 23 %, 800 is 8 %, 0 is exempt. */
export const taxRateSchema = z.number().int().min(0).max(10_000);

const id = z.string().min(1).max(100);
const level = z.string().min(1).max(60);
const minor = minorUnitsSchema;

/** Whether a line's unit price already includes its tax (a box-office price does) or has it added on top. */
export const priceBases = ['gross', 'net'] as const;
export type PriceBasis = (typeof priceBases)[number];

/** What each amount is made of; tax is computed per line (see tax.ts), totals are sums of lines. */
const amounts = { net: minor, tax: minor, gross: minor };

export const invoiceLineSchema = z.object({
  concertId: concertIdSchema,
  level,
  quantity: z.number().int().min(1).max(1000),
  unitPrice: minor,
  currency: currencySchema,
  taxRateBp: taxRateSchema,
  ...amounts,
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

/** A purchase across concerts may be priced in several currencies: totals never add two currencies together. */
export const currencyTotalSchema = z.object({ currency: currencySchema, ...amounts });
export type CurrencyTotal = z.infer<typeof currencyTotalSchema>;

export const creditLineSchema = z.object({
  concertId: concertIdSchema,
  level,
  currency: currencySchema,
  taxRateBp: taxRateSchema,
  ...amounts,
});
export type CreditLine = z.infer<typeof creditLineSchema>;

export const buyerSchema = z.object({
  name: z.string().min(1).max(200),
  /** A company's tax number (NIP) when the buyer asks for it on the invoice. */
  taxId: z.string().max(40).nullable(),
});
export type Buyer = z.infer<typeof buyerSchema>;

export const paymentMethods = ['cash', 'card'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** Invoice series: short upper-case codes, e.g. FV for invoices and KOR for credit notes. */
export const seriesPattern = /^[A-Z]{1,6}$/;

const desk = { deskId: id, shiftId: id };
const money = { amount: minor, currency: currencySchema };

export const financeEventSchemas = {
  InvoiceCreated: z.object({
    invoiceId: id,
    orderId: id,
    customerId: id,
    buyer: buyerSchema,
    issuedAt: isoInstant,
    priceBasis: z.enum(priceBases),
    lines: z.array(invoiceLineSchema).min(1).max(200),
    totals: z.array(currencyTotalSchema).min(1),
  }),
  InvoicePaymentRecorded: z.object({
    invoiceId: id,
    paymentId: id,
    method: z.enum(paymentMethods),
    ...money,
    /** The gateway's reference for a card payment; null for cash. */
    reference: z.string().max(200).nullable(),
    paidAt: isoInstant,
  }),
  InvoiceCancelled: z.object({ invoiceId: id, reason: z.string().max(500), cancelledAt: isoInstant }),
  /** A number handed out by a series' numbering stream; the document is an invoice or a credit note. */
  InvoiceNumberAssigned: z.object({
    series: z.string().regex(seriesPattern),
    year: z.number().int().min(2000).max(9999),
    sequence: z.number().int().min(1),
    number: z.string().min(1).max(40),
    documentId: id,
  }),
  CreditNoteIssued: z.object({
    creditNoteId: id,
    invoiceId: id,
    refundId: id,
    reason: z.string().max(500),
    issuedAt: isoInstant,
    lines: z.array(creditLineSchema).min(1),
    totals: z.array(currencyTotalSchema).min(1),
  }),

  FinancialRecordOpened: z.object({ customerId: id, openedAt: isoInstant }),
  CustomerPaymentStarted: z.object({
    customerId: id,
    paymentId: id,
    orderId: id,
    ...money,
    startedAt: isoInstant,
  }),
  CustomerPaymentCompleted: z.object({ customerId: id, paymentId: id, completedAt: isoInstant }),
  CustomerPaymentFailed: z.object({
    customerId: id,
    paymentId: id,
    reason: z.string().max(500),
    failedAt: isoInstant,
  }),
  CustomerRefundRecorded: z.object({
    customerId: id,
    refundId: id,
    paymentId: id,
    ...money,
    refundedAt: isoInstant,
  }),

  DrawerShiftOpened: z.object({
    ...desk,
    userId: id,
    float: minor,
    currency: currencySchema,
    openedAt: isoInstant,
  }),
  DrawerCashSaleRecorded: z.object({ ...desk, saleId: id, ...money, at: isoInstant }),
  DrawerCashRefundRecorded: z.object({ ...desk, refundId: id, ...money, at: isoInstant }),
  DrawerCashPaidIn: z.object({
    ...desk,
    movementId: id,
    ...money,
    reason: z.string().max(500),
    at: isoInstant,
  }),
  DrawerCashPaidOut: z.object({
    ...desk,
    movementId: id,
    ...money,
    reason: z.string().max(500),
    at: isoInstant,
  }),
  DrawerShiftClosed: z.object({
    ...desk,
    userId: id,
    currency: currencySchema,
    float: minor,
    cashSales: minor,
    cashRefunds: minor,
    paidIn: minor,
    paidOut: minor,
    /** float + cash sales − cash refunds + paid in − paid out. */
    expected: minor,
    counted: minor,
    /** counted − expected: negative when the drawer is short, positive when it is over. */
    variance: z.number().int(),
    closedAt: isoInstant,
  }),
} as const;

/**
 * The authority keeps the books: the order process it runs invoices a paid order, payments reach it from desks and
 * from the card gateway, numbers must be gapless across every desk, and what remains refundable on an invoice must
 * hold whichever desk refunds. The cash drawer is the desk's own: one desk, one drawer, one writer, offline or not.
 */
export const financeEventWriters = {
  InvoiceCreated: 'authority',
  InvoicePaymentRecorded: 'authority',
  InvoiceCancelled: 'authority',
  InvoiceNumberAssigned: 'authority',
  CreditNoteIssued: 'authority',
  FinancialRecordOpened: 'authority',
  CustomerPaymentStarted: 'authority',
  CustomerPaymentCompleted: 'authority',
  CustomerPaymentFailed: 'authority',
  CustomerRefundRecorded: 'authority',
  DrawerShiftOpened: 'device',
  DrawerCashSaleRecorded: 'device',
  DrawerCashRefundRecorded: 'device',
  DrawerCashPaidIn: 'device',
  DrawerCashPaidOut: 'device',
  DrawerShiftClosed: 'device',
} as const satisfies Record<keyof typeof financeEventSchemas, 'device' | 'authority'>;

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type FinanceEvent = DataOf<typeof financeEventSchemas>;
export type FinanceEventType = FinanceEvent['type'];
export type FinanceEventData<K extends FinanceEventType> = z.infer<(typeof financeEventSchemas)[K]>;
type Of<K extends FinanceEventType> = Extract<FinanceEvent, { type: K }>;

export type InvoiceEvent = Of<
  | 'InvoiceCreated'
  | 'InvoicePaymentRecorded'
  | 'InvoiceCancelled'
  | 'CreditNoteIssued'
  | 'InvoiceNumberAssigned'
>;
export type NumberingEvent = Of<'InvoiceNumberAssigned'>;
export type FinancialRecordEvent = Of<
  | 'FinancialRecordOpened'
  | 'CustomerPaymentStarted'
  | 'CustomerPaymentCompleted'
  | 'CustomerPaymentFailed'
  | 'CustomerRefundRecorded'
>;
export type CashDrawerEvent = Of<
  | 'DrawerShiftOpened'
  | 'DrawerCashSaleRecorded'
  | 'DrawerCashRefundRecorded'
  | 'DrawerCashPaidIn'
  | 'DrawerCashPaidOut'
  | 'DrawerShiftClosed'
>;
