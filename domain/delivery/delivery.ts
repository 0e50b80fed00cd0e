// The delivery of one ticket. Business rules (the seeds' TicketDelivery, made strict):
// - a method is chosen before anything is delivered: printed at the desk, emailed to a valid address, or sent by
//   courier to a valid postal address; it may change until the ticket is delivered;
// - a ticket is delivered once, by its chosen method only (printing a ticket that is to be emailed is refused);
//   a failed attempt may be retried, a second successful delivery is refused;
// - a courier shipment names its carrier and tracking number; an email goes to the chosen address;
// - a voided ticket's delivery is cancelled and never goes out.
import { assertNever, DomainError } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { checkDeliveryMethod } from './address';
import type { DeliveryKind, DeliveryMethod, PostalAddress } from './address';
import type { DeliveryEvent, DeliveryEventData } from './events';

type Attempt = { ticketId: string; attemptId: string };

export type DeliveryCommand =
  | {
      type: 'ChooseDeliveryMethod';
      data: { ticketId: string; orderId: string; method: DeliveryMethod; chosenAt: string };
    }
  | { type: 'PrintTicket'; data: Attempt & { deskId: string; printedAt: string } }
  | { type: 'RecordPrintFailure'; data: Attempt & { deskId: string; reason: string; failedAt: string } }
  | { type: 'EmailTicket'; data: Attempt & { email: string; messageId: string; sentAt: string } }
  | { type: 'RecordEmailFailure'; data: Attempt & { email: string; reason: string; failedAt: string } }
  | { type: 'ShipTicket'; data: Attempt & { carrier: string; trackingNumber: string; shippedAt: string } }
  | { type: 'RecordShipmentFailure'; data: Attempt & { carrier: string; reason: string; failedAt: string } }
  | { type: 'CancelDelivery'; data: { ticketId: string; reason: string; cancelledAt: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const deliveryCommandTypes = [
  'ChooseDeliveryMethod',
  'PrintTicket',
  'RecordPrintFailure',
  'EmailTicket',
  'RecordEmailFailure',
  'ShipTicket',
  'RecordShipmentFailure',
  'CancelDelivery',
] as const satisfies readonly DeliveryCommand['type'][];
export const deliveryCommandTypesComplete: ListsAll<DeliveryCommand['type'], typeof deliveryCommandTypes> =
  true;

export type DeliveryReceipt =
  | ({ kind: 'printed' } & DeliveryEventData<'TicketPrinted'>)
  | ({ kind: 'email' } & DeliveryEventData<'TicketEmailed'>)
  | ({ kind: 'courier' } & DeliveryEventData<'TicketShipped'>);

type Planned = {
  ticketId: string;
  orderId: string;
  method: DeliveryMethod;
  /** Failed attempts so far. */
  failures: number;
  /** Every attempt id handled, failed or not. */
  attempts: string[];
};

export type DeliveryState =
  | { status: 'unplanned' }
  | (Planned & { status: 'awaiting' })
  | (Planned & { status: 'delivered'; receipt: DeliveryReceipt })
  | { status: 'cancelled'; ticketId: string; reason: string; cancelledAt: string; attempts: string[] };

export const initialDeliveryState = (): DeliveryState => ({ status: 'unplanned' });

export const deliveryRuleCodes = [
  'wrong_ticket',
  'method_not_chosen',
  'invalid_email',
  'invalid_address',
  'wrong_method',
  'address_mismatch',
  'missing_carrier',
  'invalid_tracking',
  'already_delivered',
  'delivery_cancelled',
] as const;
export type DeliveryRuleCode = (typeof deliveryRuleCodes)[number];

export class DeliveryRuleBroken extends DomainError<DeliveryRuleCode> {}

const broken = (code: DeliveryRuleCode, message: string) => new DeliveryRuleBroken(code, message);

const described: Record<DeliveryKind, string> = {
  printed: 'printed at the desk',
  email: 'emailed',
  courier: 'sent by courier',
};

/** Letters, digits and dashes, as carriers print them (e.g. 1Z999AA10123456784, JJD000390007123456789). */
const trackingPattern = /^[A-Za-z0-9][A-Za-z0-9-]{3,59}$/;

export function decideDelivery(command: DeliveryCommand, state: DeliveryState): DeliveryEvent[] {
  switch (command.type) {
    case 'ChooseDeliveryMethod': {
      const { data } = command;
      const planned = notDone(state, data.ticketId);
      const method = checkMethod(data.method);
      if (planned && sameMethod(planned.method, method)) return [];
      return [{ type: 'DeliveryMethodChosen', data: { ...data, method } }];
    }
    case 'PrintTicket':
      if (handled(state, command.data)) return [];
      methodFor(state, command.data.ticketId, 'printed');
      return [{ type: 'TicketPrinted', data: command.data }];
    case 'RecordPrintFailure':
      if (handled(state, command.data)) return [];
      methodFor(state, command.data.ticketId, 'printed');
      return [{ type: 'TicketPrintFailed', data: command.data }];
    case 'EmailTicket':
      if (handled(state, command.data)) return [];
      checkRecipient(methodFor(state, command.data.ticketId, 'email'), command.data.email);
      return [{ type: 'TicketEmailed', data: command.data }];
    case 'RecordEmailFailure':
      if (handled(state, command.data)) return [];
      checkRecipient(methodFor(state, command.data.ticketId, 'email'), command.data.email);
      return [{ type: 'TicketEmailFailed', data: command.data }];
    case 'ShipTicket': {
      if (handled(state, command.data)) return [];
      const method = methodFor(state, command.data.ticketId, 'courier');
      const { carrier, trackingNumber } = command.data;
      checkCarrier(carrier);
      if (!trackingPattern.test(trackingNumber))
        throw broken(
          'invalid_tracking',
          `"${trackingNumber}" is not a tracking number: give the carrier’s number (letters, digits, dashes).`,
        );
      return [{ type: 'TicketShipped', data: { ...command.data, address: method.address } }];
    }
    case 'RecordShipmentFailure':
      if (handled(state, command.data)) return [];
      methodFor(state, command.data.ticketId, 'courier');
      checkCarrier(command.data.carrier);
      return [{ type: 'TicketShipmentFailed', data: command.data }];
    case 'CancelDelivery': {
      const { ticketId } = command.data;
      if (state.status === 'cancelled' && state.ticketId === ticketId) return [];
      notDone(state, ticketId);
      return [{ type: 'TicketDeliveryCancelled', data: command.data }];
    }
    default:
      return assertNever(command);
  }
}

/** The plan of a ticket that may still change or go out (undefined when nothing is planned yet). */
function notDone(state: DeliveryState, ticketId: string): Planned | undefined {
  if (state.status === 'unplanned') return undefined;
  if (state.ticketId !== ticketId)
    throw broken(
      'wrong_ticket',
      `This is the delivery of ticket ${state.ticketId}, not of ticket ${ticketId}.`,
    );
  if (state.status === 'cancelled')
    throw broken('delivery_cancelled', `Ticket ${ticketId} was voided: it is not delivered.`);
  if (state.status === 'delivered')
    throw broken(
      'already_delivered',
      `Ticket ${ticketId} was ${described[state.receipt.kind]} already: it is delivered once.`,
    );
  return state;
}

/** An attempt id seen before is a replay: nothing happens again. */
function handled(state: DeliveryState, attempt: Attempt): boolean {
  return (
    state.status !== 'unplanned' &&
    state.ticketId === attempt.ticketId &&
    state.attempts.includes(attempt.attemptId)
  );
}

/** The chosen method, which must be `kind`, of a ticket not yet delivered. */
function methodFor<K extends DeliveryKind>(
  state: DeliveryState,
  ticketId: string,
  kind: K,
): Extract<DeliveryMethod, { kind: K }> {
  const planned = notDone(state, ticketId);
  if (!planned)
    throw broken('method_not_chosen', `Choose how ticket ${ticketId} is delivered before delivering it.`);
  if (planned.method.kind !== kind)
    throw broken(
      'wrong_method',
      `Ticket ${ticketId} is to be ${described[planned.method.kind]}, not ${described[kind]}.`,
    );
  return planned.method as Extract<DeliveryMethod, { kind: K }>;
}

function checkMethod(method: DeliveryMethod): DeliveryMethod {
  const checked = checkDeliveryMethod(method);
  if (!checked.ok) throw broken(checked.code, checked.message);
  return checked.method;
}

function checkRecipient(method: { email: string }, email: string): void {
  if (email.trim().toLowerCase() !== method.email.toLowerCase())
    throw broken('address_mismatch', `The ticket is to be emailed to ${method.email}, not to ${email}.`);
}

function checkCarrier(carrier: string): void {
  if (!carrier.trim()) throw broken('missing_carrier', 'Name the carrier that ships the ticket.');
}

/** The same method and destination: an email address in any case, an address field by field. */
function sameMethod(a: DeliveryMethod, b: DeliveryMethod): boolean {
  if (a.kind === 'email' && b.kind === 'email') return a.email.toLowerCase() === b.email.toLowerCase();
  if (a.kind === 'courier' && b.kind === 'courier') {
    const fields = Object.keys(a.address) as (keyof PostalAddress)[];
    return fields.every((field) => a.address[field] === b.address[field]);
  }
  return a.kind === b.kind;
}

export function evolveDelivery(state: DeliveryState, event: DeliveryEvent): DeliveryState {
  switch (event.type) {
    case 'DeliveryMethodChosen': {
      const { ticketId, orderId, method } = event.data;
      const previous = state.status === 'awaiting' ? state : undefined;
      return {
        status: 'awaiting',
        ticketId,
        orderId,
        method,
        failures: previous?.failures ?? 0,
        attempts: previous?.attempts ?? [],
      };
    }
    case 'TicketPrinted':
      return delivered(state, { kind: 'printed', ...event.data });
    case 'TicketEmailed':
      return delivered(state, { kind: 'email', ...event.data });
    case 'TicketShipped':
      return delivered(state, { kind: 'courier', ...event.data });
    case 'TicketPrintFailed':
    case 'TicketEmailFailed':
    case 'TicketShipmentFailed':
      if (state.status !== 'awaiting') return state;
      return { ...state, failures: state.failures + 1, attempts: [...state.attempts, event.data.attemptId] };
    case 'TicketDeliveryCancelled': {
      const attempts = state.status === 'unplanned' ? [] : state.attempts;
      return { status: 'cancelled', ...event.data, attempts };
    }
    default:
      return assertNever(event);
  }
}

function delivered(state: DeliveryState, receipt: DeliveryReceipt): DeliveryState {
  if (state.status !== 'awaiting') return state;
  return { ...state, status: 'delivered', receipt, attempts: [...state.attempts, receipt.attemptId] };
}

export const deliveryDecider = {
  decide: decideDelivery,
  evolve: evolveDelivery,
  initialState: initialDeliveryState,
};
