// Tickets: one per seat of a paid order, each with its own id, for a level its concert really has; voided when
// refunded or when the concert is cancelled; let in and out at the gates (gate.ts). Business rules (the seeds'
// Ticket, made strict):
// - tickets are issued once per order, with ids chosen by the caller and never used twice;
// - a ticket's level must be one of its concert's levels, and no ticket is issued for a cancelled concert;
// - a voided ticket stays voided; voiding it again changes nothing.
import type { ConcertState } from '../concert/concert';
import { assertNever, DomainError } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import type { GateEntry, ScanDirection, TicketEvent, TicketEventData, VoidReason } from './events';
import { judgeScan } from './gate';

/** What the issuer knows of a concert: its levels' names and whether it is cancelled. */
export type ConcertForTickets = { concertId: string; levels: string[]; cancelled: boolean };

export type TicketCommand =
  | {
      type: 'IssueTickets';
      data: {
        orderId: string;
        customerId: string;
        issuedAt: string;
        /** One line per concert and level; one ticket id per seat. */
        lines: { concertId: string; level: string; quantity: number; ticketIds: string[] }[];
        /** Every concert the lines name. */
        concerts: ConcertForTickets[];
      };
    }
  | { type: 'VoidTicket'; data: { ticketId: string; reason: VoidReason; causeId: string; voidedAt: string } }
  | { type: 'VoidConcertTickets'; data: { concertId: string; cancellationId: string; voidedAt: string } }
  | {
      type: 'ScanTicket';
      data: {
        scanId: string;
        /** What the code decoded to: possibly not a ticket at all. */
        ticketId: string;
        /** The concert this gate admits to. */
        concertId: string;
        gate: string;
        direction: ScanDirection;
        scannedAt: string;
        /** The scanner (its fact's device): the gate's decision names it, and only it may annul the scan. */
        deviceId?: string;
      };
    };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const ticketCommandTypes = [
  'IssueTickets',
  'VoidTicket',
  'VoidConcertTickets',
  'ScanTicket',
] as const satisfies readonly TicketCommand['type'][];
export const ticketCommandTypesComplete: ListsAll<TicketCommand['type'], typeof ticketCommandTypes> = true;

type Issued = TicketEventData<'TicketIssued'> & {
  /** The entry since the last exit, or null when the holder is outside. */
  inside: GateEntry | null;
};
export type Ticket =
  (Issued & { status: 'valid' }) | (Issued & { status: 'voided'; voidReason: VoidReason; voidedAt: string });

/**
 * The tickets of one scope (a concert, or a scanner's view of it). Its maps grow in place: one authority or one
 * scanner owns the book, and copying 50,000 tickets per scan would be quadratic.
 */
export type TicketBook = {
  tickets: Map<string, Ticket>;
  /** Orders whose tickets are issued. */
  orders: Set<string>;
  /** Scans already judged. */
  scans: Set<string>;
};

export const initialTicketBook = (): TicketBook => ({
  tickets: new Map(),
  orders: new Set(),
  scans: new Set(),
});

export const ticketRuleCodes = [
  'no_lines',
  'unknown_concert',
  'concert_cancelled',
  'unknown_level',
  'invalid_quantity',
  'ticket_count_mismatch',
  'invalid_ticket_id',
  'duplicate_ticket_id',
  'unknown_ticket',
] as const;
export type TicketRuleCode = (typeof ticketRuleCodes)[number];

export class TicketRuleBroken extends DomainError<TicketRuleCode> {}

const broken = (code: TicketRuleCode, message: string) => new TicketRuleBroken(code, message);

export function decideTicket(command: TicketCommand, book: TicketBook): TicketEvent[] {
  switch (command.type) {
    case 'IssueTickets':
      return issue(command.data, book);
    case 'VoidTicket': {
      const { ticketId, reason, causeId, voidedAt } = command.data;
      const ticket = book.tickets.get(ticketId);
      if (!ticket) throw broken('unknown_ticket', `There is no ticket ${ticketId}.`);
      if (ticket.status === 'voided') return [];
      return [
        { type: 'TicketVoided', data: { ticketId, concertId: ticket.concertId, reason, causeId, voidedAt } },
      ];
    }
    case 'VoidConcertTickets': {
      const { concertId, cancellationId, voidedAt } = command.data;
      return [...book.tickets.values()]
        .filter((t) => t.concertId === concertId && t.status === 'valid')
        .map((t) => ({
          type: 'TicketVoided',
          data: {
            ticketId: t.ticketId,
            concertId,
            reason: 'concert_cancelled',
            causeId: cancellationId,
            voidedAt,
          },
        }));
    }
    case 'ScanTicket':
      if (book.scans.has(command.data.scanId)) return [];
      return [judgeScan(command.data, book)];
    default:
      return assertNever(command);
  }
}

function issue(
  data: Extract<TicketCommand, { type: 'IssueTickets' }>['data'],
  book: TicketBook,
): TicketEvent[] {
  const { orderId, customerId, issuedAt } = data;
  if (book.orders.has(orderId)) return []; // this order's tickets are issued already
  if (data.lines.length === 0) throw broken('no_lines', 'An order with no seats has no tickets to issue.');
  const ids = new Set<string>();
  return data.lines.flatMap(({ concertId, level, quantity, ticketIds }) => {
    const concert = data.concerts.find((c) => c.concertId === concertId);
    if (!concert) throw broken('unknown_concert', `Concert ${concertId} is not known: give its levels.`);
    if (concert.cancelled)
      throw broken('concert_cancelled', `Concert ${concertId} is cancelled: no tickets are issued for it.`);
    if (!concert.levels.includes(level))
      throw broken(
        'unknown_level',
        `Concert ${concertId} has no level "${level}"; its levels are ${concert.levels.join(', ')}.`,
      );
    if (!Number.isInteger(quantity) || quantity < 1)
      throw broken('invalid_quantity', `The quantity of "${level}" must be a whole number of at least 1.`);
    if (ticketIds.length !== quantity)
      throw broken(
        'ticket_count_mismatch',
        `"${level}" has ${quantity} seats but ${ticketIds.length} ticket ids: give one id per seat.`,
      );
    return ticketIds.map((ticketId): TicketEvent => {
      if (!ticketId.trim()) throw broken('invalid_ticket_id', 'Every ticket needs an id.');
      if (ids.has(ticketId) || book.tickets.has(ticketId))
        throw broken('duplicate_ticket_id', `Ticket id ${ticketId} is taken: give every ticket a new id.`);
      ids.add(ticketId);
      return { type: 'TicketIssued', data: { ticketId, orderId, customerId, concertId, level, issuedAt } };
    });
  });
}

export function evolveTicket(book: TicketBook, event: TicketEvent): TicketBook {
  switch (event.type) {
    case 'TicketIssued':
      book.orders.add(event.data.orderId);
      book.tickets.set(event.data.ticketId, { ...event.data, status: 'valid', inside: null });
      return book;
    case 'TicketVoided': {
      const ticket = book.tickets.get(event.data.ticketId);
      if (ticket)
        book.tickets.set(ticket.ticketId, {
          ...ticket,
          status: 'voided',
          voidReason: event.data.reason,
          voidedAt: event.data.voidedAt,
        });
      return book;
    }
    case 'TicketEntered':
    case 'TicketExited': {
      book.scans.add(event.data.scanId);
      const ticket = book.tickets.get(event.data.ticketId);
      const inside = event.type === 'TicketEntered' ? { gate: event.data.gate, at: event.data.at } : null;
      if (ticket) book.tickets.set(ticket.ticketId, { ...ticket, inside });
      return book;
    }
    case 'TicketScanRefused':
      book.scans.add(event.data.scanId);
      return book;
    default:
      return assertNever(event);
  }
}

export const ticketDecider = { decide: decideTicket, evolve: evolveTicket, initialState: initialTicketBook };

/** The issuer's view of a concert, from the concert's own state; undefined when there is no such concert. */
export function concertForTickets(concert: ConcertState): ConcertForTickets | undefined {
  if (concert.status === 'none') return undefined;
  return {
    concertId: concert.concertId,
    levels: concert.levels.map((l) => l.name),
    cancelled: concert.status === 'cancelled',
  };
}
