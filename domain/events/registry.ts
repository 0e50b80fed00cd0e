// Every event type of every bounded context, with who writes it and its schema: the source that docs/events.md is
// generated from. The live catalogue (catalogue.ts) holds the types that flow through the log today and are
// validated at its edges; a context's types join it when the sync server and the devices start writing them.
import type { z } from 'zod';
import { allotmentDecisionSchemas, allotmentEventWriters, allotmentFactSchemas } from '../allotment/events';
import { cartEventSchemas, cartEventWriters } from '../cart/events';
import { deliveryEventSchemas, deliveryEventWriters } from '../delivery/events';
import { financeEventSchemas, financeEventWriters } from '../finance/events';
import { notificationsEventSchemas, notificationsEventWriters } from '../notifications/events';
import { orderEventSchemas, orderEventWriters } from '../order/events';
import { paymentEventSchemas, paymentEventWriters } from '../payment/events';
import { reservationEventSchemas, reservationEventWriters } from '../reservation/events';
import { streamingEventSchemas, streamingEventWriters } from '../streaming/events';
import { ticketEventSchemas, ticketEventWriters } from '../ticket/events';
import { gateDecisionSchemas, gateEventWriters, gateFactSchemas } from '../ticket/gate-events';
import { ticketPrintSchemas, ticketPrintWriters } from '../ticket/print-events';
import { trustEventSchemas, trustEventWriters } from '../ticket/trust-events';
import { usersEventSchemas, usersEventWriters } from '../users/events';
import { eventCatalogue } from './catalogue';

export type Writer = 'device' | 'authority';

export type RegisteredEvent = {
  type: string;
  context: string;
  writer: Writer;
  v: number;
  schema: z.ZodType;
  live: boolean;
};

type ContextEvents = { context: string; schemas: Record<string, z.ZodType>; writers: Record<string, Writer> };

const contexts: ContextEvents[] = [
  {
    context: 'Allotments',
    schemas: { ...allotmentFactSchemas, ...allotmentDecisionSchemas },
    writers: allotmentEventWriters,
  },
  { context: 'Cart', schemas: cartEventSchemas, writers: cartEventWriters },
  { context: 'Reservation', schemas: reservationEventSchemas, writers: reservationEventWriters },
  { context: 'Order', schemas: orderEventSchemas, writers: orderEventWriters },
  { context: 'Payment', schemas: paymentEventSchemas, writers: paymentEventWriters },
  { context: 'Finance', schemas: financeEventSchemas, writers: financeEventWriters },
  { context: 'Ticket', schemas: ticketEventSchemas, writers: ticketEventWriters },
  {
    context: 'Ticket',
    schemas: { ...gateFactSchemas, ...gateDecisionSchemas },
    writers: gateEventWriters,
  },
  { context: 'Ticket', schemas: ticketPrintSchemas, writers: ticketPrintWriters },
  { context: 'Trust', schemas: trustEventSchemas, writers: trustEventWriters },
  { context: 'Delivery', schemas: deliveryEventSchemas, writers: deliveryEventWriters },
  { context: 'Users', schemas: usersEventSchemas, writers: usersEventWriters },
  { context: 'Notifications', schemas: notificationsEventSchemas, writers: notificationsEventWriters },
  { context: 'Streaming', schemas: streamingEventSchemas, writers: streamingEventWriters },
];

// The live types no context above defines: the concerts', the inventory's, and the order flow's own documents.
const inContext = new Set(contexts.flatMap(({ schemas }) => Object.keys(schemas)));
const own = Object.entries(eventCatalogue).filter(
  ([type, entry]) => entry.kind !== 'record' && !inContext.has(type),
);
contexts.unshift({
  context: 'Concerts, inventory and the order flow',
  schemas: Object.fromEntries(own.map(([type, entry]) => [type, entry.schema])),
  writers: Object.fromEntries(
    own.map(([type, entry]) => [type, entry.kind === 'fact' ? 'device' : 'authority']),
  ),
});

export const eventRegistry: RegisteredEvent[] = contexts.flatMap(({ context, schemas, writers }) =>
  Object.entries(schemas).map(([type, schema]) => ({
    type,
    context,
    writer: writers[type] ?? 'authority',
    v: type in eventCatalogue ? eventCatalogue[type as keyof typeof eventCatalogue].v : 1,
    schema,
    live: type in eventCatalogue,
  })),
);
