// The shape of every stored event: one immutable document per event, the same in CouchDB and in RxDB.
import { z } from 'zod';

/** Device facts are id'd by a ULID made on the device: time-ordered and unique without coordination. */
export const factIdPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Concert ids become database names, so they follow CouchDB's rules for those (lowercase, no spaces). */
export const concertIdPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const isoInstant = z.iso.datetime({ offset: true });

export const factMetaSchema = z.object({
  deviceId: z.string().min(1).max(100),
  userId: z.string().min(1).max(100),
  /** The device's clock: informational only, never used to decide anything. */
  recordedAt: isoInstant,
  // Long enough for the order flow's derived causes (`request:<orderId>:seats:<concertId>:<step>`, `…#<n>`).
  correlationId: z.string().min(1).max(300),
  causationId: z.string().min(1).max(300),
});
export type FactMeta = z.infer<typeof factMetaSchema>;

export const decisionMetaSchema = factMetaSchema.extend({
  /** Position in the stream; the document id carries it too. */
  position: z.number().int().nonnegative(),
  /** decisionId of the previous decision in the stream (null at the start): the chain that makes the stream. */
  prev: z.string().nullable(),
  decisionId: z.string().min(1),
  /** Which authority instance wrote it (diagnostics only). */
  authorityId: z.string().min(1),
});
export type DecisionMeta = z.infer<typeof decisionMetaSchema>;

export type Meta = FactMeta | DecisionMeta;

/** A stored event document. `data` is typed per event type by the event catalogue. */
export type EventDoc<Type extends string = string, Data = unknown, M extends Meta = Meta> = {
  _id: string;
  _rev?: string;
  type: Type;
  v: number;
  stream: string;
  data: Data;
  meta: M;
};

export const envelopeSchema = z.object({
  _id: z.string().min(1),
  _rev: z.string().optional(),
  type: z.string().min(1),
  v: z.number().int().positive(),
  stream: z.string().min(1),
  data: z.unknown(),
  meta: z.record(z.string(), z.unknown()),
});
