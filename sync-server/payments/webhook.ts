// Stripe's webhook: a signed event, verified against the endpoint secret on the raw body, handled once per event id.
// Its outcome becomes a PaymentGatewayReported fact in the orders database (deterministic id: a second delivery is a
// 409), and the event id is kept create-only in stagedoor-authority, so an event delivered again has no second effect.
import type Stripe from 'stripe';
import { ordersDatabase } from '../../domain/events/order-flow';
import { authorityDb, createAll, getDoc } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { gatewayReportFact } from './gateway-report';
import type { CardGateway } from './stripe-gateway';

export type WebhookOutcome =
  { status: 400; reason: string } | { status: 200; duplicate: boolean; recorded: boolean; type: string };

const processedId = (eventId: string) => `stripe-event:${eventId}`;

export async function receiveWebhook(
  services: { couch: Couch; gateway: CardGateway; now?: () => Date },
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookOutcome> {
  let event: Stripe.Event;
  try {
    if (!signature) throw new Error('no Stripe-Signature header');
    event = services.gateway.verify(rawBody, signature);
  } catch (error) {
    return { status: 400, reason: error instanceof Error ? error.message : String(error) };
  }
  const { couch } = services;
  const records = couch.server.use<Doc>(authorityDb);
  if (await getDoc(records, processedId(event.id)))
    return { status: 200, duplicate: true, recorded: false, type: event.type };
  const fact = gatewayReportFact(event);
  if (fact) {
    const [result] = await createAll(couch.server.use<Doc>(ordersDatabase), [fact]);
    if (result && !result.ok && !result.conflict)
      throw new Error(`recording ${event.id} failed: ${result.error ?? 'unknown'}`);
  }
  const [marked] = await createAll(records, [
    {
      _id: processedId(event.id),
      type: event.type,
      receivedAt: (services.now ?? (() => new Date()))().toISOString(),
      ...(fact ? { factId: fact._id } : {}),
    },
  ]);
  const duplicate = marked !== undefined && !marked.ok && marked.conflict;
  return { status: 200, duplicate, recorded: fact !== undefined && !duplicate, type: event.type };
}
