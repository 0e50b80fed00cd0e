// Ticket events at the edge: every event is valid against its schema, and each type has one writer.
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import type { GateEvent, TicketContextEvent } from './events';
import { ticketEventSchemas, ticketEventWriters } from './events';
import { scanCommand, scannedFact, verdictOf } from './gate';
import { ticketDecider } from './ticket';
import type { TicketCommand } from './ticket';

const concertId = 'kwiat-jabloni-torwar-2026';
const at = '2026-11-21T19:02:00.000+01:00';
const scan = (scanId: string, ticketId: string, direction: 'entry' | 'exit') =>
  ({ scanId, ticketId, concertId, gate: 'Gate 3', direction, scannedAt: at }) as const;

const commands: TicketCommand[] = [
  {
    type: 'IssueTickets',
    data: {
      orderId: 'order-1',
      customerId: 'customer-1',
      issuedAt: at,
      lines: [{ concertId, level: 'Regular', quantity: 2, ticketIds: ['t1', 't2'] }],
      concerts: [{ concertId, levels: ['Regular'], cancelled: false }],
    },
  },
  { type: 'ScanTicket', data: scan('sc1', 't1', 'entry') },
  { type: 'ScanTicket', data: scan('sc2', 't1', 'entry') },
  { type: 'ScanTicket', data: scan('sc3', 't1', 'exit') },
  { type: 'VoidTicket', data: { ticketId: 't2', reason: 'refunded', causeId: 'r1', voidedAt: at } },
];

describe('ticket events', () => {
  let book = ticketDecider.initialState();
  const decided: TicketContextEvent[] = commands.flatMap((command) => {
    const events = ticketDecider.decide(command, book);
    book = fold(ticketDecider.evolve, book, events);
    // What the scanner writes for each of its scans.
    const gate = events.filter((e): e is GateEvent => e.type !== 'TicketIssued' && e.type !== 'TicketVoided');
    const facts = command.type === 'ScanTicket' ? gate.map((e) => scannedFact(command.data, e)) : [];
    return [...events, ...facts];
  });

  it('are made of every type', () => {
    expect(new Set(decided.map((e) => e.type))).toEqual(new Set(Object.keys(ticketEventSchemas)));
  });

  it('match their schemas exactly, with no field left out or added', () => {
    for (const event of decided) expect(ticketEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('name one writer per type: the scanner writes its scans, the authority decides', () => {
    expect(Object.keys(ticketEventWriters).sort()).toEqual(Object.keys(ticketEventSchemas).sort());
    expect(ticketEventWriters.TicketScanned).toBe('device');
    for (const writer of Object.values(ticketEventWriters)) expect(['device', 'authority']).toContain(writer);
  });

  it('turn a scanner’s fact back into the scan the authority judges, without the scanner’s verdict', () => {
    const fact = decided.find((e) => e.type === 'TicketScanned');
    if (fact?.type !== 'TicketScanned') throw new Error('no scan');
    expect(fact.data.verdict).toBe('valid');
    expect(scanCommand(fact.data)).toEqual({ type: 'ScanTicket', data: scan('sc1', 't1', 'entry') });
  });
});

describe('a command of a type the ticket decider does not know', () => {
  // Commands arrive from untyped edges too: an unknown type fails loudly instead of being ignored.
  it('is refused, and so is an unknown event in a history', () => {
    const unknown = { type: 'Unknown', data: { scanId: 'x' } } as never;
    expect(() => ticketDecider.decide(unknown, ticketDecider.initialState())).toThrow(/Unhandled case/);
    expect(() => ticketDecider.evolve(ticketDecider.initialState(), unknown)).toThrow(/Unhandled case/);
    expect(() => verdictOf(unknown)).toThrow(/Unhandled case/);
  });
});
