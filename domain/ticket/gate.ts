// The gate: one scan, one verdict. Business rules:
// - a ticket lets its holder in once; to come in again they must have gone out (entry, exit, entry is valid; entry,
//   entry is a duplicate, and the refusal says where and when the ticket went in);
// - a ticket for another concert, a voided ticket and a code that is no ticket are refused, each with its reason;
// - going out needs a ticket that is inside (a voided ticket may still go out).
// The same rule runs on the scanner (offline, against what it knows) and at the authority (against every gate).
import { assertNever } from '../shared/decider';
import type { GateEvent, ScanRefusal, ScanVerdict, TicketEventData } from './events';
import type { Ticket, TicketCommand } from './ticket';

type Scan = Extract<TicketCommand, { type: 'ScanTicket' }>['data'];

/** What the gate reads of the tickets (a TicketBook, or the authority's ledgers): where each is and whether valid. */
export type GateTickets = {
  tickets: { get(ticketId: string): Pick<Ticket, 'concertId' | 'status' | 'inside'> | undefined };
};

export function judgeScan(scan: Scan, book: GateTickets): GateEvent {
  const { scanId, ticketId, concertId, gate, direction, scannedAt: at } = scan;
  const device = scan.deviceId === undefined ? {} : { deviceId: scan.deviceId };
  const refuse = (
    reason: ScanRefusal,
    detail: Partial<{ ticketConcertId: string; firstEntry: { gate: string; at: string } }> = {},
  ): GateEvent => ({
    type: 'TicketScanRefused',
    data: {
      scanId,
      ticketId,
      concertId,
      gate,
      ...device,
      direction,
      at,
      reason,
      ticketConcertId: detail.ticketConcertId ?? null,
      firstEntry: detail.firstEntry ?? null,
    },
  });
  const ticket = book.tickets.get(ticketId);
  if (!ticket) return refuse('not_found');
  if (ticket.concertId !== concertId) return refuse('wrong_concert', { ticketConcertId: ticket.concertId });
  const passage = { scanId, ticketId, concertId, gate, ...device, at };
  if (direction === 'exit') {
    if (!ticket.inside) return refuse('not_inside');
    return { type: 'TicketExited', data: passage };
  }
  if (ticket.status === 'voided') return refuse('voided');
  if (ticket.inside) return refuse('already_used', { firstEntry: ticket.inside });
  return { type: 'TicketEntered', data: passage };
}

/** The verdict a scanner shows for a decision, and records in its TicketScanned fact. */
export function verdictOf(event: GateEvent): ScanVerdict {
  switch (event.type) {
    case 'TicketEntered':
      return 'valid';
    case 'TicketExited':
      return 'exited';
    case 'TicketScanRefused':
      return event.data.reason;
    default:
      return assertNever(event);
  }
}

type Scanned = { type: 'TicketScanned'; data: TicketEventData<'TicketScanned'> };

/** The scanner's own fact: what it scanned and the verdict it showed, judged against what it knew offline. */
export function scannedFact(scan: Scan, shown: GateEvent): Scanned {
  const { deviceId: _device, ...data } = scan;
  return { type: 'TicketScanned', data: { ...data, verdict: verdictOf(shown) } };
}

/** The authority judges a scanner's fact again, against every gate's scans: the scanner's verdict is not an input. */
export function scanCommand(fact: Scanned['data']): Extract<TicketCommand, { type: 'ScanTicket' }> {
  const { verdict: _shown, code: _code, kind: _kind, ...scan } = fact;
  return { type: 'ScanTicket', data: scan };
}
