// The event catalogue: every event type, its schema version, who may write it, and the schema that validates it at
// every edge (the authority's loop, the devices' replication, the HTTP API). docs/events.md is its prose twin.
import { z } from 'zod';
import { concertDecisionSchemas, concertFactSchemas } from '../concert/events';
import { inventoryDecisionSchemas, inventoryFactSchemas } from '../inventory/events';
import { decisionMetaSchema, envelopeSchema, factIdPattern, factMetaSchema } from '../log/envelope';
import type { DecisionMeta, EventDoc, FactMeta } from '../log/envelope';
import { upcast } from './upcasters';
import type { UpcastContext } from './upcasters';

export type Role = 'admin' | 'organizer' | 'desk' | 'scanner' | 'manager';

export const quarantineSchemas = {
  /** A document the authority could not accept: kept, with the reason, for an admin to review. */
  FactQuarantined: z.object({
    docId: z.string(),
    database: z.string(),
    reason: z.string(),
    docType: z.string().nullable(),
  }),
} as const;

type Entry<K extends 'fact' | 'decision' | 'record'> = {
  kind: K;
  v: number;
  schema: z.ZodType;
  writers: readonly string[];
};

const fact = (schema: z.ZodType, writers: readonly Role[]): Entry<'fact'> => ({
  kind: 'fact',
  v: 1,
  schema,
  writers,
});
const decision = (schema: z.ZodType): Entry<'decision'> => ({
  kind: 'decision',
  v: 1,
  schema,
  writers: ['authority'],
});

const organizers = ['admin', 'organizer'] as const;

export const eventCatalogue = {
  ConcertCreationRequested: fact(concertFactSchemas.ConcertCreationRequested, organizers),
  ConcertDetailsChangeRequested: fact(concertFactSchemas.ConcertDetailsChangeRequested, organizers),
  TicketLevelsChangeRequested: fact(concertFactSchemas.TicketLevelsChangeRequested, organizers),
  ConcertPublicationRequested: fact(concertFactSchemas.ConcertPublicationRequested, organizers),
  ConcertUnpublicationRequested: fact(concertFactSchemas.ConcertUnpublicationRequested, organizers),
  ConcertCancellationRequested: fact(concertFactSchemas.ConcertCancellationRequested, organizers),
  SaleRecorded: { ...fact(inventoryFactSchemas.SaleRecorded, ['desk']), v: 2 },

  ConcertCreated: decision(concertDecisionSchemas.ConcertCreated),
  ConcertDetailsUpdated: decision(concertDecisionSchemas.ConcertDetailsUpdated),
  TicketLevelsUpdated: decision(concertDecisionSchemas.TicketLevelsUpdated),
  ConcertPublished: decision(concertDecisionSchemas.ConcertPublished),
  ConcertUnpublished: decision(concertDecisionSchemas.ConcertUnpublished),
  ConcertCancelled: decision(concertDecisionSchemas.ConcertCancelled),
  ConcertChangeRejected: decision(concertDecisionSchemas.ConcertChangeRejected),
  SeatsAllocated: decision(inventoryDecisionSchemas.SeatsAllocated),
  SaleRejected: decision(inventoryDecisionSchemas.SaleRejected),

  FactQuarantined: {
    kind: 'record',
    v: 1,
    schema: quarantineSchemas.FactQuarantined,
    writers: ['authority'],
  } as Entry<'record'>,
} as const;

export type EventType = keyof typeof eventCatalogue;
type KindOf<K> = { [T in EventType]: (typeof eventCatalogue)[T]['kind'] extends K ? T : never }[EventType];
export type FactType = KindOf<'fact'>;
export type DecisionType = KindOf<'decision'>;

type Schemas = typeof concertFactSchemas &
  typeof inventoryFactSchemas &
  typeof concertDecisionSchemas &
  typeof inventoryDecisionSchemas &
  typeof quarantineSchemas;
export type DataOf<T extends EventType> = z.infer<Schemas[T]>;

export type FactDoc<T extends FactType = FactType> = { [K in T]: EventDoc<K, DataOf<K>, FactMeta> }[T];
export type DecisionDoc<T extends DecisionType = DecisionType> = {
  [K in T]: EventDoc<K, DataOf<K>, DecisionMeta>;
}[T];
export type QuarantineDoc = EventDoc<'FactQuarantined', DataOf<'FactQuarantined'>, FactMeta>;
export type AnyEventDoc = FactDoc | DecisionDoc | QuarantineDoc;

/** The version a new event of this type is written with. */
export const currentVersion = (type: EventType): number => eventCatalogue[type].v;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventCatalogue, type);

export type Parsed = { ok: true; doc: AnyEventDoc } | { ok: false; reason: string; type: string | null };

/**
 * Validates a stored document against the envelope and its type's schema, reading an older schema version as the
 * current one (see upcasters.ts); never throws.
 */
export function parseEventDoc(raw: unknown, context: UpcastContext = {}): Parsed {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    return { ok: false, reason: `not an event: ${summarize(envelope.error)}`, type: typeOf(raw) };
  const { type, v, _id, data, meta } = envelope.data;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type "${type}"`, type };
  const entry = eventCatalogue[type];
  if (v > entry.v)
    return { ok: false, reason: `${type} v${v} is newer than this software reads (v${entry.v})`, type };
  if (entry.kind === 'fact' && !factIdPattern.test(_id))
    return { ok: false, reason: `a device fact's id must be a ULID, not "${_id}"`, type };
  const metaCheck = (entry.kind === 'decision' ? decisionMetaSchema : factMetaSchema).safeParse(meta);
  if (!metaCheck.success) return { ok: false, reason: `bad meta: ${summarize(metaCheck.error)}`, type };
  const lifted = upcast(type, v, entry.v, data, context);
  if (!lifted.ok) return { ok: false, reason: lifted.reason, type };
  const dataCheck = entry.schema.safeParse(lifted.data);
  if (!dataCheck.success) return { ok: false, reason: `bad ${type}: ${summarize(dataCheck.error)}`, type };
  return {
    ok: true,
    doc: { ...envelope.data, type, v: entry.v, meta: metaCheck.data, data: dataCheck.data } as AnyEventDoc,
  };
}

export const isFact = (doc: AnyEventDoc): doc is FactDoc => eventCatalogue[doc.type].kind === 'fact';
export const isDecision = (doc: AnyEventDoc): doc is DecisionDoc =>
  eventCatalogue[doc.type].kind === 'decision';

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`)
    .join('; ');
}

function typeOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string'
    ? raw.type
    : null;
}
