// The scanner's book kept as documents arrive is the book folded from all of them at once: for any split of the same
// documents into arrival batches, in any order and with copies, including orphans and a rival decision that wins a
// position already passed, and tickets of sales and orders voided by refunds along the way. And a scan judged before its fact is held counts once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import type { TicketClaim } from '../ticket/signing';
import { arrivalOrder, ConcertLogBuilder, nextId, orphanAndRival } from './concert-log.fixtures';
import { scannerKeeps, scannerLog } from './scanner-log';
import { projectDesk } from './desk-view';
import { projectScanner } from './scanner-view';
import type { ScannerBook } from './scanner-view';

const concertId = 'scan-hall-2027';
const device = 'scanner-1';
const devices = [device, 'scanner-2'];
const at = (second: number): string =>
  new Date(Date.parse('2027-05-01T18:00:00.000Z') + second * 1000).toISOString();

type Step = {
  device: number;
  ticket: number;
  exit: boolean;
  decided: boolean;
  annul: boolean;
  /** The ticket's order refunds it before the scan (the concert voids it; a second time, it refuses). */
  refund: boolean;
};

/** A concert with sales and every kind of gate fact, some decided, some not; then an orphan and maybe a rival. */
function gateLog(steps: Step[], rivalAt: number | null) {
  const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 20 }]).publish();
  const tickets: string[] = [];
  for (let s = 0; s < 3; s++) {
    const sale = log.sale('desk-a', 'Floor', 2, 'pool');
    log.decide(sale);
    tickets.push(`sale:${sale._id}:t1`, `sale:${sale._id}:t2`);
  }
  tickets.push(...log.ticketed('order-1', [{ level: 'Floor', quantity: 2 }]));
  steps.forEach((step, i) => {
    const deviceId = devices[step.device] ?? device;
    const ticketId = tickets[step.ticket % tickets.length] ?? '';
    const orderId = log.state.gate.tickets.get(ticketId)?.orderId;
    if (step.refund && orderId) log.answer(log.voidRequest(`refund-${i}`, orderId, [ticketId]));
    const scanned = log.fact(
      'TicketScanned',
      (scanId) => ({
        scanId,
        ticketId,
        concertId,
        gate: deviceId === device ? 'North' : 'South',
        direction: step.exit ? ('exit' as const) : ('entry' as const),
        scannedAt: at(i * 10),
        verdict: step.exit ? ('exited' as const) : ('valid' as const),
      }),
      { deviceId },
    );
    if (step.decided) log.decide(scanned);
    if (!step.annul) return;
    const annulled = log.fact(
      'TicketScanAnnulled',
      (annulId) => ({
        annulId,
        scanId: scanned._id,
        ticketId,
        concertId,
        gate: 'North',
        annulledAt: at(i * 10 + 5),
      }),
      { deviceId },
    );
    if (step.decided) log.decide(annulled);
  });
  return { docs: [...log.docs, ...orphanAndRival(log.docs, rivalAt)], tickets };
}

/** What a book says, read through its ledgers (a layered book and a plain one compare alike). */
function summary(book: ScannerBook, tickets: string[], docs: AnyEventDoc[]) {
  const scanIds = docs.flatMap((d) => (d.type === 'TicketScanned' ? [d.data.scanId] : []));
  const { gate } = book;
  return {
    title: book.title,
    cancelled: book.cancelled,
    policy: book.policy,
    counts: book.counts,
    own: book.own,
    tickets: tickets.map((t) => [gate.tickets.get(t), gate.inside.get(t) ?? null, gate.latest.get(t)]),
    passages: scanIds.map((s) => gate.passages.get(s)),
  };
}

/** A confirmed ticket's claim, signed by the authority, valid from an hour before the first scan to two after. */
const claimOf = (ticketId: string): TicketClaim => ({
  ticketId,
  concertId,
  level: 'Floor',
  kind: 'confirmed',
  validFrom: at(-3600),
  validUntil: at(7200),
  signer: 'authority:k1',
  signedAt: at(-7200),
});

const stepArb = fc.record({
  device: fc.integer({ min: 0, max: 1 }),
  ticket: fc.nat(7),
  exit: fc.boolean(),
  decided: fc.boolean(),
  annul: fc.boolean(),
  refund: fc.nat(5).map((n) => n === 0),
});

describe('the scanner’s book as documents arrive', () => {
  it('is the book folded from all of them, whatever the batches, their order and copies', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 14 }),
        fc.option(fc.nat(40)),
        fc.infiniteStream(fc.nat(1000)),
        fc.array(fc.nat(60), { maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (steps, rivalAt, keys, copies, batch) => {
          const { docs, tickets } = gateLog(steps, rivalAt);
          const arriving = arrivalOrder(docs, [...keys.take(docs.length)], copies);
          const incremental = scannerLog(device, concertId);
          for (let i = 0; i < arriving.length; i += batch) incremental.add(arriving.slice(i, i + batch));
          const reference = projectScanner(docs, device, concertId);
          expect(summary(incremental.book, tickets, docs)).toEqual(summary(reference, tickets, docs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses an order’s ticket “voided” once the concert voided it for a refund, as the reference does', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 20 }]).publish();
    const [kept, refunded] = log.ticketed('order-1', [{ level: 'Floor', quantity: 2 }]);
    if (!kept || !refunded) throw new Error('no tickets');
    const scanner = scannerLog(device, concertId);
    scanner.add(log.docs);
    const judge = (ticketId: string, n: number) =>
      scanner.judge({
        scanId: `01KLOCALSCAN0000000000010${n}`,
        code: 'SD1.body.signature',
        checked: { ok: true, claim: claimOf(ticketId) },
        gate: 'North',
        direction: 'entry',
        scannedAt: at(n),
      });
    scanner.add([log.answer(log.voidRequest('refund-1', 'order-1', [refunded]))]);
    expect(judge(refunded, 1)).toMatchObject({ tone: 'red', verdict: 'voided' });
    expect(judge(kept, 2)).toMatchObject({ tone: 'green', verdict: 'valid' });
    const reference = projectScanner(log.docs, device, concertId);
    expect(reference.gate.tickets.get(refunded)?.status).toBe('voided');
    expect(reference.gate.tickets.get(kept)?.status).toBe('valid');
  });

  it('counts a scan judged here once, before and after its fact and its decision arrive', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 20 }]).publish();
    const sale = log.sale('desk-a', 'Floor', 1, 'pool');
    log.decide(sale);
    const ticketId = `sale:${sale._id}:t1`;
    const scanner = scannerLog(device, concertId);
    scanner.add(log.docs);
    const claim = claimOf(ticketId);
    const input = {
      scanId: '01KLOCALSCAN00000000000001',
      code: 'SD1.body.signature',
      checked: { ok: true as const, claim },
      gate: 'North',
      direction: 'entry' as const,
      scannedAt: at(0),
    };
    expect(scanner.judge(input)).toMatchObject({ verdict: 'valid', tone: 'green' });
    expect(scanner.book.counts).toEqual({ entered: 1, exited: 0 });
    expect(scanner.book.own).toMatchObject([{ ticketId, status: 'pending' }]);
    // The store's copy of the scan (its own id, the scan's id in its data) replaces the one judged here.
    const fact = log.fact(
      'TicketScanned',
      () => ({
        scanId: input.scanId,
        ticketId,
        concertId,
        gate: 'North',
        direction: 'entry' as const,
        scannedAt: at(0),
        verdict: 'valid' as const,
        code: input.code,
        kind: 'confirmed' as const,
      }),
      { deviceId: device },
    );
    scanner.add([fact]);
    expect(scanner.book.counts).toEqual({ entered: 1, exited: 0 });
    expect(scanner.book.own).toHaveLength(1);
    scanner.add([log.decide(fact)]);
    expect(scanner.book.counts).toEqual({ entered: 1, exited: 0 });
    expect(scanner.book.own).toMatchObject([{ ticketId, status: 'entered' }]);
    expect(scanner.judge({ ...input, scanId: '01KLOCALSCAN00000000000002', scannedAt: at(5) })).toMatchObject(
      {
        verdict: 'already_used',
        firstEntry: { gate: 'North', at: at(0) },
      },
    );
    const reference = projectScanner(log.docs, device, concertId);
    expect(reference.counts).toEqual({ entered: 1, exited: 0 });
  });

  it('takes back a scan annulled here at once, and keeps it annulled when the annulment’s fact arrives', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 20 }]).publish();
    const sale = log.sale('desk-a', 'Floor', 1, 'pool');
    log.decide(sale);
    const ticketId = `sale:${sale._id}:t1`;
    const scanner = scannerLog(device, concertId);
    scanner.add(log.docs);
    const claim = claimOf(ticketId);
    const scanId = '01KLOCALSCAN00000000000003';
    scanner.judge({
      scanId,
      code: 'SD1.body.signature',
      checked: { ok: true, claim },
      gate: 'North',
      direction: 'entry',
      scannedAt: at(0),
    });
    const annul = { annulId: '01KLOCALSCAN00000000000004', scanId, ticketId, concertId, gate: 'North' };
    scanner.annul({ ...annul, annulledAt: at(30) });
    expect(scanner.book.counts).toEqual({ entered: 0, exited: 0 });
    expect(scanner.book.own).toMatchObject([{ scanId, status: 'annulled' }]);
    const annulled = log.fact('TicketScanAnnulled', () => ({ ...annul, annulledAt: at(30) }), {
      deviceId: device,
    });
    // The store's copy: an annulment's id is its annul id.
    scanner.add([{ ...annulled, _id: annul.annulId }]);
    expect(scanner.book.counts).toEqual({ entered: 0, exited: 0 });
    expect(scanner.book.own).toMatchObject([{ scanId, status: 'annulled' }]);
  });

  it('is the same, and so is the scanner’s desk view, without the desks’ facts a scanner does not keep', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 14 }), fc.option(fc.nat(40)), (steps, rivalAt) => {
        const { docs, tickets } = gateLog(steps, rivalAt);
        const kept = docs.filter(scannerKeeps(device));
        expect(kept.length).toBeLessThan(docs.length);
        expect(summary(projectScanner(kept, device, concertId), tickets, docs)).toEqual(
          summary(projectScanner(docs, device, concertId), tickets, docs),
        );
        expect(projectDesk(kept, device)).toEqual(projectDesk(docs, device));
      }),
      { numRuns: 200 },
    );
  });

  // A scan judged here goes on top of the book at once; the store's copy of it (same id, same data) then changes
  // nothing, and another device's newer scan goes on top too: the book is not made again for them. Whatever arrives
  // meanwhile (others' scans, older ones, decisions), once every copy is held the book is the one folded from all of it.
  it('kept on top as scans are judged here and their copies arrive among other news, is the folded book', () => {
    const opArb = fc.record({
      op: fc.constantFrom('judge', 'judge', 'arrive', 'arrive', 'other', 'older', 'decide'),
      ticket: fc.nat(7),
      exit: fc.boolean(),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 20 }]).publish();
        const tickets: string[] = [];
        for (let s = 0; s < 4; s++) {
          const sale = log.sale('desk-a', 'Floor', 2, 'pool');
          log.decide(sale);
          tickets.push(`sale:${sale._id}:t1`, `sale:${sale._id}:t2`);
        }
        const scanner = scannerLog(device, concertId);
        scanner.add(log.docs);
        /** Store copies of scans judged here, not held yet; facts held and not decided. */
        const copies: FactDoc<'TicketScanned'>[] = [];
        const undecided: FactDoc<'TicketScanned'>[] = [];
        /** Ids older than the newest applied, for other devices' late scans. */
        const early = Array.from({ length: ops.length }, nextId);
        let second = 0;
        const scanData = (ticketId: string, exit: boolean, scanId: string) => ({
          scanId,
          ticketId,
          concertId,
          gate: 'South',
          direction: exit ? ('exit' as const) : ('entry' as const),
          scannedAt: at((second += 5)),
          verdict: exit ? ('exited' as const) : ('valid' as const),
        });
        for (const { op, ticket, exit, pick } of ops) {
          const ticketId = tickets[ticket] ?? '';
          if (op === 'judge') {
            const claim = claimOf(ticketId);
            const scanId = nextId();
            const { record } = scanner.judge({
              scanId,
              code: `SD1.${ticket}.signature`,
              checked: { ok: true, claim },
              gate: 'North',
              direction: exit ? 'exit' : 'entry',
              scannedAt: at((second += 5)),
            });
            if (!record) continue;
            // The store's copy, as the desk store records it: the scan's id, the record as its data.
            const copy = { ...log.fact('TicketScanned', () => record, { deviceId: device }), _id: scanId };
            log.docs.pop();
            copies.push(copy);
          } else if (op === 'arrive' && copies.length > 0) {
            const [copy] = copies.splice(pick % copies.length, 1);
            if (!copy) continue;
            log.docs.push(copy);
            undecided.push(copy);
            scanner.add([copy]);
          } else if (op === 'other' || op === 'older') {
            const earlyId = early.pop() ?? '';
            const fact = log.fact('TicketScanned', (id) => scanData(ticketId, exit, id), {
              deviceId: 'scanner-2',
            });
            const held =
              op === 'older' ? { ...fact, _id: earlyId, data: { ...fact.data, scanId: earlyId } } : fact;
            if (op === 'older') log.docs.splice(log.docs.indexOf(fact), 1, held);
            undecided.push(held);
            scanner.add([held]);
          } else if (op === 'decide' && undecided.length > 0) {
            const [fact] = undecided.splice(pick % undecided.length, 1);
            if (fact && !log.docs.some((d) => d.meta.causationId === fact._id && d._id !== fact._id))
              scanner.add([log.decide(fact)]);
          }
        }
        for (const copy of copies) {
          log.docs.push(copy);
          scanner.add([copy]);
        }
        const reference = projectScanner(log.docs, device, concertId);
        expect(summary(scanner.book, tickets, log.docs)).toEqual(summary(reference, tickets, log.docs));
      }),
      { numRuns: 500 },
    );
  });
});
