// Tickets: issued one per seat of a paid order, voided on refund or cancellation, judged at the gate.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { ConcertState } from '../concert/concert';
import type { GateEvent, TicketEvent } from './events';
import { verdictOf } from './gate';
import { concertForTickets, decideTicket, evolveTicket, initialTicketBook, ticketDecider } from './ticket';
import type { ConcertForTickets, TicketCommand } from './ticket';

const given = specification(ticketDecider);

const kwiat = 'kwiat-jabloni-torwar-2026';
const podsiadlo = 'dawid-podsiadlo-narodowy-2026';
const issuedAt = '2026-11-21T18:46:00.000+01:00';
const concerts: ConcertForTickets[] = [
  { concertId: kwiat, levels: ['Regular', 'Golden Circle'], cancelled: false },
  { concertId: podsiadlo, levels: ['Regular'], cancelled: false },
];

// Commands
type Line = { concertId: string; level: string; quantity: number; ticketIds: string[] };
const issue = (lines: Line[], orderId = 'order-1', known = concerts): TicketCommand => ({
  type: 'IssueTickets',
  data: { orderId, customerId: 'customer-1', issuedAt, lines, concerts: known },
});
const seats = (concertId: string, level: string, ...ticketIds: string[]): Line => ({
  concertId,
  level,
  quantity: ticketIds.length,
  ticketIds,
});
const voidTicket = (
  ticketId: string,
  reason: 'refunded' | 'concert_cancelled' = 'refunded',
): TicketCommand => ({
  type: 'VoidTicket',
  data: { ticketId, reason, causeId: 'refund-1', voidedAt: '2026-11-21T19:00:00.000+01:00' },
});
const voidConcert = (concertId: string): TicketCommand => ({
  type: 'VoidConcertTickets',
  data: { concertId, cancellationId: 'cancel-1', voidedAt: '2026-11-20T12:00:00.000+01:00' },
});
const time = (minute: number) => `2026-11-21T19:${String(minute).padStart(2, '0')}:00.000+01:00`;
const scan = (
  scanId: string,
  ticketId: string,
  direction: 'entry' | 'exit' = 'entry',
  gate = 'Gate 3',
  minute = 2,
  concertId = kwiat,
): TicketCommand => ({
  type: 'ScanTicket',
  data: { scanId, ticketId, concertId, gate, direction, scannedAt: time(minute) },
});

// Events
const issued = (
  ticketId: string,
  concertId = kwiat,
  level = 'Regular',
  orderId = 'order-1',
): TicketEvent => ({
  type: 'TicketIssued',
  data: { ticketId, orderId, customerId: 'customer-1', concertId, level, issuedAt },
});
const voided = (
  ticketId: string,
  concertId = kwiat,
  reason: 'refunded' | 'concert_cancelled' = 'refunded',
): TicketEvent => ({
  type: 'TicketVoided',
  data: {
    ticketId,
    concertId,
    reason,
    causeId: reason === 'refunded' ? 'refund-1' : 'cancel-1',
    voidedAt: reason === 'refunded' ? '2026-11-21T19:00:00.000+01:00' : '2026-11-20T12:00:00.000+01:00',
  },
});
const entered = (scanId: string, ticketId: string, gate = 'Gate 3', minute = 2): GateEvent => ({
  type: 'TicketEntered',
  data: { scanId, ticketId, concertId: kwiat, gate, at: time(minute) },
});
const exited = (scanId: string, ticketId: string, gate = 'Gate 3', minute = 2): GateEvent => ({
  type: 'TicketExited',
  data: { scanId, ticketId, concertId: kwiat, gate, at: time(minute) },
});
const refused = (
  scanId: string,
  ticketId: string,
  reason: 'already_used' | 'wrong_concert' | 'voided' | 'not_found' | 'not_inside',
  detail: {
    direction?: 'entry' | 'exit';
    gate?: string;
    minute?: number;
    concertId?: string;
    ticketConcertId?: string;
    firstEntry?: { gate: string; at: string };
  } = {},
): GateEvent => ({
  type: 'TicketScanRefused',
  data: {
    scanId,
    ticketId,
    concertId: detail.concertId ?? kwiat,
    gate: detail.gate ?? 'Gate 3',
    direction: detail.direction ?? 'entry',
    at: time(detail.minute ?? 2),
    reason,
    ticketConcertId: detail.ticketConcertId ?? null,
    firstEntry: detail.firstEntry ?? null,
  },
});

const sold = [issued('t1'), issued('t2'), issued('t3', podsiadlo)];

describe('issuing tickets for a paid order', () => {
  it('issues one ticket per seat, with the ids given', () => {
    given([])
      .when(issue([seats(kwiat, 'Regular', 't1', 't2'), seats(podsiadlo, 'Regular', 't3')]))
      .then(sold);
  });

  it('issues an order’s tickets once: issuing them again changes nothing', () => {
    given(sold)
      .when(issue([seats(kwiat, 'Regular', 't1', 't2'), seats(podsiadlo, 'Regular', 't3')]))
      .then([]);
  });

  it('refuses an order without seats', () => {
    given([]).when(issue([])).thenThrows('no_lines');
  });

  it('refuses a concert it was not told about', () => {
    given([])
      .when(issue([seats('another-concert', 'Regular', 't1')]))
      .thenThrows('unknown_concert');
  });

  it('refuses a cancelled concert', () => {
    given([])
      .when(issue([seats(kwiat, 'Regular', 't1')], 'order-1', [{ ...concerts[0]!, cancelled: true }]))
      .thenThrows('concert_cancelled');
  });

  it('refuses a level its concert does not have', () => {
    given([])
      .when(issue([seats(podsiadlo, 'Golden Circle', 't1')]))
      .thenThrows('unknown_level');
  });

  it('refuses a line without seats', () => {
    given([])
      .when(issue([{ concertId: kwiat, level: 'Regular', quantity: 0, ticketIds: [] }]))
      .thenThrows('invalid_quantity');
  });

  it('needs one ticket id per seat', () => {
    given([])
      .when(issue([{ concertId: kwiat, level: 'Regular', quantity: 3, ticketIds: ['t1', 't2'] }]))
      .thenThrows('ticket_count_mismatch');
  });

  it('needs an id for every ticket', () => {
    given([])
      .when(issue([seats(kwiat, 'Regular', 't1', ' ')]))
      .thenThrows('invalid_ticket_id');
  });

  it('never uses a ticket id twice', () => {
    given([])
      .when(issue([seats(kwiat, 'Regular', 't1'), seats(kwiat, 'Golden Circle', 't1')]))
      .thenThrows('duplicate_ticket_id');
    given(sold)
      .when(issue([seats(kwiat, 'Regular', 't2')], 'order-2'))
      .thenThrows('duplicate_ticket_id');
  });
});

describe('voiding', () => {
  it('voids a refunded ticket', () => {
    given(sold)
      .when(voidTicket('t1'))
      .then([voided('t1')]);
  });

  it('voids once: voiding again changes nothing', () => {
    given([...sold, voided('t1')])
      .when(voidTicket('t1'))
      .then([]);
  });

  it('refuses a ticket it does not know', () => {
    given(sold).when(voidTicket('t9')).thenThrows('unknown_ticket');
  });

  it('voids every valid ticket of a cancelled concert, and no other', () => {
    given([...sold, voided('t1')])
      .when(voidConcert(kwiat))
      .then([voided('t2', kwiat, 'concert_cancelled')]);
    given([...sold, voided('t1'), voided('t2')])
      .when(voidConcert(kwiat))
      .then([]);
  });
});

describe('at the gate', () => {
  it('lets a valid ticket in', () => {
    given(sold)
      .when(scan('sc1', 't1'))
      .then([entered('sc1', 't1')]);
  });

  it('refuses a second entry, saying where and when the ticket went in', () => {
    given([...sold, entered('sc1', 't1', 'Gate 3', 2)])
      .when(scan('sc2', 't1', 'entry', 'Gate 5', 10))
      .then([
        refused('sc2', 't1', 'already_used', {
          gate: 'Gate 5',
          minute: 10,
          firstEntry: { gate: 'Gate 3', at: time(2) },
        }),
      ]);
  });

  it('lets a ticket out, and in again', () => {
    given([...sold, entered('sc1', 't1')])
      .when(scan('sc2', 't1', 'exit', 'Gate 3', 30))
      .then([exited('sc2', 't1', 'Gate 3', 30)]);
    given([...sold, entered('sc1', 't1'), exited('sc2', 't1', 'Gate 3', 30)])
      .when(scan('sc3', 't1', 'entry', 'Gate 1', 45))
      .then([entered('sc3', 't1', 'Gate 1', 45)]);
  });

  it('names the latest entry when a re-entered ticket is used again', () => {
    given([
      ...sold,
      entered('sc1', 't1'),
      exited('sc2', 't1', 'Gate 3', 30),
      entered('sc3', 't1', 'Gate 1', 45),
    ])
      .when(scan('sc4', 't1', 'entry', 'Gate 2', 50))
      .then([
        refused('sc4', 't1', 'already_used', {
          gate: 'Gate 2',
          minute: 50,
          firstEntry: { gate: 'Gate 1', at: time(45) },
        }),
      ]);
  });

  it('refuses a way out for a ticket that is not inside', () => {
    given(sold)
      .when(scan('sc1', 't1', 'exit'))
      .then([refused('sc1', 't1', 'not_inside', { direction: 'exit' })]);
  });

  it('refuses a ticket for another concert, naming it', () => {
    given(sold)
      .when(scan('sc1', 't3'))
      .then([refused('sc1', 't3', 'wrong_concert', { ticketConcertId: podsiadlo })]);
    given(sold)
      .when(scan('sc1', 't3', 'exit'))
      .then([refused('sc1', 't3', 'wrong_concert', { direction: 'exit', ticketConcertId: podsiadlo })]);
  });

  it('refuses a voided ticket', () => {
    given([...sold, voided('t1')])
      .when(scan('sc1', 't1'))
      .then([refused('sc1', 't1', 'voided')]);
  });

  it('lets the holder of a ticket voided while inside go out', () => {
    given([...sold, entered('sc1', 't1'), voided('t1')])
      .when(scan('sc2', 't1', 'exit', 'Gate 3', 30))
      .then([exited('sc2', 't1', 'Gate 3', 30)]);
  });

  it('refuses a code that is no ticket', () => {
    given(sold)
      .when(scan('sc1', 'forged-123'))
      .then([refused('sc1', 'forged-123', 'not_found')]);
  });

  it('judges a scan once: the same scan again changes nothing', () => {
    given([...sold, entered('sc1', 't1')])
      .when(scan('sc1', 't1'))
      .then([]);
    given([...sold, refused('sc1', 'x', 'not_found')])
      .when(scan('sc1', 'x'))
      .then([]);
  });

  it('shows each decision as a verdict', () => {
    expect(verdictOf(entered('sc1', 't1'))).toBe('valid');
    expect(verdictOf(exited('sc1', 't1'))).toBe('exited');
    expect(verdictOf(refused('sc1', 't1', 'voided'))).toBe('voided');
  });
});

describe('folding a history', () => {
  it('ignores voids and passages of tickets it does not know', () => {
    const book = fold(evolveTicket, initialTicketBook(), [
      voided('t9'),
      entered('sc1', 't9'),
      exited('sc2', 't9'),
    ]);
    expect(book.tickets.size).toBe(0);
    expect([...book.scans]).toEqual(['sc1', 'sc2']);
  });
});

describe('the issuer’s view of a concert', () => {
  const details = {
    artist: 'Kwiat Jabłoni',
    title: '',
    venue: 'Torwar',
    city: 'Warsaw',
    startsAt: '2026-11-21T20:00:00.000Z',
    timezone: 'Europe/Warsaw',
  };
  const concert = (status: 'draft' | 'published' | 'cancelled'): ConcertState => ({
    status,
    concertId: kwiat,
    details,
    currency: 'PLN',
    levels: [{ name: 'Regular', capacity: 100, price: 15_000, allocated: 2 }],
  });

  it('names its levels and whether it is cancelled', () => {
    expect(concertForTickets(concert('published'))).toEqual({
      concertId: kwiat,
      levels: ['Regular'],
      cancelled: false,
    });
    expect(concertForTickets(concert('cancelled'))?.cancelled).toBe(true);
    expect(concertForTickets({ status: 'none' })).toBeUndefined();
  });
});

describe('for any sequence of scans at any gates', () => {
  const tickets = ['t1', 't2', 't3', 'forged'];
  const step = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        kind: fc.constant('scan' as const),
        ticket: fc.constantFrom(...tickets),
        direction: fc.constantFrom('entry' as const, 'exit' as const),
        gate: fc.constantFrom('Gate 1', 'Gate 2', 'Gate 3'),
        concert: fc.oneof(
          { weight: 9, arbitrary: fc.constant(kwiat) },
          { weight: 1, arbitrary: fc.constant(podsiadlo) },
        ),
        replay: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('void' as const), ticket: fc.constantFrom('t1', 't2') }),
    },
  );

  it('a ticket admits at most once between exits, and every scan gets exactly one decision', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80, size: 'medium' }), (steps) => {
        let book = fold(evolveTicket, initialTicketBook(), [
          issued('t1'),
          issued('t2'),
          issued('t3', podsiadlo),
        ]);
        const decisions: TicketEvent[] = [];
        let scans = 0;
        steps.forEach((s, i) => {
          let command: TicketCommand;
          if (s.kind === 'void') command = voidTicket(s.ticket);
          else {
            // A replay delivers the previous scan again, as at-least-once delivery does.
            const id = s.replay && scans > 0 ? `sc${scans}` : `sc${++scans}`;
            command = {
              type: 'ScanTicket',
              data: {
                scanId: id,
                ticketId: s.ticket,
                concertId: s.concert,
                gate: s.gate,
                direction: s.direction,
                scannedAt: `2026-11-21T19:00:${String(i % 60).padStart(2, '0')}.000+01:00`,
              },
            };
          }
          const events = decideTicket(command, book);
          decisions.push(...events);
          book = fold(evolveTicket, book, events);
        });

        // Exactly one decision per scan id.
        const ids = decisions.flatMap((d) =>
          d.type === 'TicketVoided' || d.type === 'TicketIssued' ? [] : [d.data.scanId],
        );
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(scans);

        for (const ticketId of ['t1', 't2', 't3']) {
          let inside: { gate: string; at: string } | null = null;
          let isVoided = false;
          for (const d of decisions) {
            if (d.data.ticketId !== ticketId) continue;
            if (d.type === 'TicketVoided') isVoided = true;
            if (d.type === 'TicketEntered') {
              expect(inside).toBeNull(); // at most one entry between exits
              expect(isVoided).toBe(false); // never in on a voided ticket
              expect(d.data.concertId).toBe(ticketId === 't3' ? podsiadlo : kwiat);
              inside = { gate: d.data.gate, at: d.data.at };
            }
            if (d.type === 'TicketExited') {
              expect(inside).not.toBeNull(); // only out after in
              inside = null;
            }
            if (d.type === 'TicketScanRefused' && d.data.reason === 'already_used')
              expect(d.data.firstEntry).toEqual(inside); // says where and when it went in
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
