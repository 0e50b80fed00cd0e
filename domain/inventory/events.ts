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
  SaleRejected: z.object({ ...decided, code: z.enum(saleRejectionCodes), message: z.string() }),
} as const;

export type SaleRecorded = z.infer<(typeof inventoryFactSchemas)['SaleRecorded']>;
export type InventoryDecision =
  | { type: 'SeatsAllocated'; data: z.infer<(typeof inventoryDecisionSchemas)['SeatsAllocated']> }
  | { type: 'SaleRejected'; data: z.infer<(typeof inventoryDecisionSchemas)['SaleRejected']> };
