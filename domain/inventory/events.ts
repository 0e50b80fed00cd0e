// The Inventory context: a sale recorded at a desk, and the authority's allocation or rejection of its seats.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';

export const cashPaymentSchema = z.object({
  method: z.literal('cash'),
  tendered: z.number().int().nonnegative(),
  change: z.number().int().nonnegative(),
});

export const inventoryFactSchemas = {
  SaleRecorded: z.object({
    /** The sale's id is the fact's id. */
    saleId: z.string().min(1),
    concertId: concertIdSchema,
    level: z.string().min(1).max(60),
    quantity: z.number().int().min(1).max(1000),
    unitPrice: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    payment: cashPaymentSchema,
    /**
     * What the desk promised the buyer: 'allotment' = guaranteed, sold from this desk's block (domain/allotment);
     * 'pool' (or absent, as before allotments) = pending, sold from the level's free seats if there are any.
     */
    claim: z.enum(['allotment', 'pool']).optional(),
  }),
  /**
   * How the desk made good a sale the authority rejected: the cash handed back, or an exchange to another level or
   * concert (the exchange is a new sale, `exchangeSaleId`). The settlement's id is the fact's id; written by the
   * desk that sold.
   */
  SaleSettlementRecorded: z.object({
    settlementId: z.string().min(1),
    saleId: z.string().min(1),
    concertId: concertIdSchema,
    kind: z.enum(['cash_refund', 'exchange']),
    /** The cash handed back (minor units); 0 for an exchange that moved the whole amount to the new sale. */
    amount: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    exchangeSaleId: z.string().min(1).optional(),
  }),
} as const;

export const saleRejectionCodes = [
  'sold_out',
  'concert_cancelled',
  'not_published',
  'unknown_concert',
  'unknown_level',
  'price_mismatch',
  // A claim on the desk's block that the block no longer covered (lapsed, or given back), nor the free seats.
  'allotment_lapsed',
  'allotment_exhausted',
] as const;
export type SaleRejectionCode = (typeof saleRejectionCodes)[number];

const decided = {
  saleId: z.string(),
  concertId: concertIdSchema,
  level: z.string(),
  quantity: z.number().int(),
};

export const inventoryDecisionSchemas = {
  SeatsAllocated: z.object({
    ...decided,
    /** Where the seats came from: the selling desk's block or the free seats (absent: free, before allotments). */
    from: z.enum(['allotment', 'pool']).optional(),
    /** The desk that sold (the sale's device). */
    deviceId: z.string().min(1).max(100).optional(),
  }),
  SaleRejected: z.object({
    ...decided,
    code: z.enum(saleRejectionCodes),
    message: z.string(),
    /** The desk that sold (absent before allotments). */
    deviceId: z.string().min(1).max(100).optional(),
  }),
  /** A rejected sale made good, once: the conflict report's outcome. */
  SaleSettled: z.object({
    settlementId: z.string(),
    saleId: z.string(),
    concertId: concertIdSchema,
    kind: z.enum(['cash_refund', 'exchange']),
    amount: z.number().int().nonnegative(),
    currency: z.string(),
    exchangeSaleId: z.string().optional(),
    /** The desk that settled it. */
    deviceId: z.string(),
  }),
  /** A settlement for a sale that was not rejected, is unknown here, or was settled before. */
  SaleSettlementRefused: z.object({
    settlementId: z.string(),
    saleId: z.string(),
    concertId: concertIdSchema,
    code: z.enum(['unknown_sale', 'not_rejected', 'already_settled', 'not_permitted']),
    message: z.string(),
  }),
} as const;

export type SaleRecorded = z.infer<(typeof inventoryFactSchemas)['SaleRecorded']>;
export type SaleSettlementRecorded = z.infer<(typeof inventoryFactSchemas)['SaleSettlementRecorded']>;
type Schemas = typeof inventoryDecisionSchemas;
export type InventoryDecision = {
  [K in keyof Schemas]: { type: K; data: z.infer<Schemas[K]> };
}[keyof Schemas];
