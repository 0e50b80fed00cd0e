// The scanner's book: the verdict for a scan from what the device holds (the authority's decisions, its own scans not
// decided yet), at once and offline, with the counts in and out and its own scans to annul.
import { describe, expect, it } from 'vitest';
import { generateSigningKey, signTicket } from '../ticket/signing';
import type { TicketClaim, TicketCodeVerdict, TicketKind } from '../ticket/signing';
import { annulWindowMs } from '../ticket/gate-events';
import { ConcertLogBuilder } from './concert-log.fixtures';
import { annulAtGate, annullable, judgeAtGate, projectScanner } from './scanner-view';
import type { ScannerBook } from './scanner-view';

const concertId = 'scan-hall-2027';
const device = 'scanner-1';
const at = (minute: number, second = 0): string =>
  `2027-05-01T18:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

const claimOf = (ticketId: string, kind: TicketKind = 'confirmed', concert = concertId): TicketClaim => ({
  ticketId,
  concertId: concert,
  level: 'Floor',
  kind,
  validFrom: '2027-05-01T13:00:00.000Z',
  validUntil: '2027-05-02T07:00:00.000Z',
  signer: 'authority:k1',
  signedAt: '2027-04-30T12:00:00.000Z',
});
const good = (claim: TicketClaim): TicketCodeVerdict => ({ ok: true, claim });

let scans = 0;
/** A scan of a code whose signature check gave `checked`, at this device's gate. */
const scan = (
  book: ScannerBook,
  checked: TicketCodeVerdict,
  options: { gate?: string; direction?: 'entry' | 'exit'; scannedAt?: string; code?: string } = {},
) =>
  judgeAtGate(book, {
    scanId: `01KSCAN${String(++scans).padStart(19, '0')}`,
    code: options.code ?? 'SD1.body.signature',
    checked,
    gate: options.gate ?? 'North',
    direction: options.direction ?? 'entry',
    scannedAt: options.scannedAt ?? at(0),
  });

function soldLog() {
  const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 10 }]).publish();
  const sale = log.sale('desk-a', 'Floor', 2, 'pool');
  log.decide(sale);
  const [t1, t2] = [`sale:${sale._id}:t1`, `sale:${sale._id}:t2`];
  return { log, sale, t1, t2 };
}

describe('the scanner’s verdict', () => {
  it('is green for a valid ticket, then red “already used” naming the gate and time it went in', () => {
    const { log, t1 } = soldLog();
    const book = projectScanner(log.docs, device, concertId);
    const first = scan(book, good(claimOf(t1)), { gate: 'North', scannedAt: at(1) });
    expect(first).toMatchObject({
      tone: 'green',
      verdict: 'valid',
      record: { ticketId: t1, verdict: 'valid' },
    });
    expect(book.counts).toEqual({ entered: 1, exited: 0 });
    const again = scan(book, good(claimOf(t1)), { gate: 'South', scannedAt: at(2) });
    expect(again).toMatchObject({
      tone: 'red',
      verdict: 'already_used',
      firstEntry: { gate: 'North', at: at(1) },
    });
    expect(book.own.map((s) => s.verdict)).toEqual(['already_used', 'valid']);
  });

  it('lets a ticket out and in again, and counts both ways', () => {
    const { log, t1 } = soldLog();
    const book = projectScanner(log.docs, device, concertId);
    scan(book, good(claimOf(t1)), { scannedAt: at(1) });
    expect(scan(book, good(claimOf(t1)), { direction: 'exit', scannedAt: at(2) })).toMatchObject({
      tone: 'green',
      verdict: 'exited',
    });
    expect(scan(book, good(claimOf(t1)), { scannedAt: at(3) })).toMatchObject({
      tone: 'green',
      verdict: 'valid',
    });
    expect(book.counts).toEqual({ entered: 2, exited: 1 });
  });

  it('accepts a signed ticket it has never heard of (sold offline a minute ago at another desk)', () => {
    const { log } = soldLog();
    const book = projectScanner(log.docs, device, concertId);
    expect(scan(book, good(claimOf('sale:01KOFFLINE:t1', 'guaranteed')))).toMatchObject({ tone: 'green' });
  });

  it('is amber for a provisional ticket, or red when the concert’s policy refuses them', () => {
    const { log } = soldLog();
    const book = projectScanner(log.docs, device, concertId);
    expect(scan(book, good(claimOf('sale:01KPENDING:t1', 'provisional')))).toMatchObject({
      tone: 'amber',
      verdict: 'valid',
    });
    log.decide(
      log.fact('ConcertDetailsChangeRequested', () => ({
        concertId,
        artist: 'Brodka',
        title: 'Wiosna',
        venue: 'Arena',
        city: 'Warsaw',
        startsAt: '2027-05-01T19:00:00.000Z',
        timezone: 'Europe/Warsaw',
        provisionalAtGate: 'refuse' as const,
      })),
    );
    const strict = projectScanner(log.docs, device, concertId);
    expect(strict.policy).toBe('refuse');
    expect(scan(strict, good(claimOf('sale:01KPENDING:t2', 'provisional')))).toMatchObject({
      tone: 'red',
      verdict: 'provisional',
      record: { verdict: 'provisional' },
    });
  });

  it('is red “forged” or “unreadable” for a code that is no ticket, and records nothing', () => {
    const book = projectScanner(soldLog().log.docs, device, concertId);
    expect(scan(book, { ok: false, reason: 'forged' })).toMatchObject({
      tone: 'red',
      verdict: 'forged',
      record: null,
    });
    expect(scan(book, { ok: false, reason: 'unknown_signer' })).toMatchObject({
      verdict: 'forged',
      record: null,
    });
    expect(scan(book, { ok: false, reason: 'unreadable' })).toMatchObject({
      verdict: 'unreadable',
      record: null,
    });
    expect(book.own).toEqual([]);
  });

  it('is red “wrong concert” for a ticket of another concert, also one its desk may only sign for that one', async () => {
    const book = projectScanner(soldLog().log.docs, device, concertId);
    expect(scan(book, good(claimOf('sale:x:t1', 'confirmed', 'other-night-2027')))).toMatchObject({
      tone: 'red',
      verdict: 'wrong_concert',
    });
    const keys = await generateSigningKey();
    const code = await signTicket(claimOf('sale:y:t1', 'guaranteed', 'other-night-2027'), keys.privateKey);
    expect(scan(book, { ok: false, reason: 'out_of_scope' }, { code })).toMatchObject({
      verdict: 'wrong_concert',
    });
    expect(scan(book, { ok: false, reason: 'outside_window' }, { code })).toMatchObject({
      verdict: 'wrong_concert',
    });
  });

  it('is red “voided” for a refunded ticket once the refund reached the scanner', () => {
    const { log, sale, t1, t2 } = soldLog();
    log.decide(
      log.fact('SaleRefundRequested', (refundId) => ({
        refundId,
        saleId: sale._id,
        concertId,
        ticketIds: [t1],
        amount: 10_000,
        currency: 'PLN',
      })),
    );
    const book = projectScanner(log.docs, device, concertId);
    expect(scan(book, good(claimOf(t1)))).toMatchObject({ tone: 'red', verdict: 'voided' });
    expect(scan(book, good(claimOf(t2)))).toMatchObject({ tone: 'green' });
  });

  it('is red “voided” for an order’s ticket once the concert voided it for the order’s refund', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 10 }]).publish();
    const [t1, t2] = log.ticketed('order-1', [{ level: 'Floor', quantity: 2 }]);
    if (!t1 || !t2) throw new Error('no tickets');
    expect(scan(projectScanner(log.docs, device, concertId), good(claimOf(t1)))).toMatchObject({
      tone: 'green',
    });
    log.answer(log.voidRequest('refund-1', 'order-1', [t1]));
    const book = projectScanner(log.docs, device, concertId);
    expect(scan(book, good(claimOf(t1)))).toMatchObject({ tone: 'red', verdict: 'voided' });
    expect(scan(book, good(claimOf(t2)))).toMatchObject({ tone: 'green', verdict: 'valid' });
  });

  it('knows, after a restart offline, its own scans not decided yet and the other gates’ decided ones', () => {
    const { log, t1, t2 } = soldLog();
    const scanned = (deviceId: string, ticketId: string, gate: string, scannedAt: string) =>
      log.fact(
        'TicketScanned',
        (scanId) => ({
          scanId,
          ticketId,
          concertId,
          gate,
          direction: 'entry' as const,
          scannedAt,
          verdict: 'valid' as const,
        }),
        { deviceId },
      );
    scanned(device, t1, 'North', at(1)); // this device's, not uploaded yet
    log.decide(scanned('scanner-2', t2, 'South', at(2))); // another gate's, decided and replicated
    const book = projectScanner(log.docs, device, concertId);
    expect(book.counts).toEqual({ entered: 2, exited: 0 });
    expect(book.own).toMatchObject([{ ticketId: t1, status: 'pending' }]);
    expect(scan(book, good(claimOf(t1)))).toMatchObject({
      verdict: 'already_used',
      firstEntry: { gate: 'North' },
    });
    expect(scan(book, good(claimOf(t2)))).toMatchObject({
      verdict: 'already_used',
      firstEntry: { gate: 'South' },
    });
  });
});

describe('annulling a scan at the scanner', () => {
  it('takes back its own latest scan within two minutes: the ticket is outside and uncounted', () => {
    const { log, t1 } = soldLog();
    const book = projectScanner(log.docs, device, concertId);
    const verdict = scan(book, good(claimOf(t1)), { scannedAt: at(1) });
    const scanId = verdict.record?.scanId ?? '';
    expect(annullable(book, scanId, at(2), annulWindowMs)).toBe(true);
    expect(annullable(book, scanId, at(3, 1), annulWindowMs)).toBe(false);
    annulAtGate(book, {
      annulId: '01KANNUL',
      scanId,
      ticketId: t1,
      concertId,
      gate: 'North',
      annulledAt: at(2),
    });
    expect(book.counts).toEqual({ entered: 0, exited: 0 });
    expect(book.own[0]?.status).toBe('annulled');
    expect(annullable(book, scanId, at(2), annulWindowMs)).toBe(false);
    expect(scan(book, good(claimOf(t1)), { scannedAt: at(2, 30) })).toMatchObject({ verdict: 'valid' });
  });
});
