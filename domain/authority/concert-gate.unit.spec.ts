// The gate in the concert's authority: scans from every gate decided in one order (the first valid entry wins, a
// second entry without an exit is a duplicate naming both gates and times), annulments within two minutes, and
// refunds that void a sale's tickets and give its seats back.
import { describe, expect, it } from 'vitest';
import { ConcertLogBuilder } from '../desk/concert-log.fixtures';
import type { FactOptions } from '../desk/concert-log.fixtures';
import { parseEventDoc } from '../events/catalogue';
import type { DataOf } from '../events/catalogue';
import { availability } from '../inventory/inventory';
import { decideFact, evolveAuthority, tentativeView, decisionDoc } from './concert-authority';

const concertId = 'gate-arena-2027';
const at = (minute: number, second = 0): string =>
  `2027-05-01T18:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

class Gates extends ConcertLogBuilder {
  constructor() {
    super(concertId, [{ name: 'Floor', capacity: 10 }]);
    this.publish();
  }

  /** A confirmed sale of `quantity` tickets (`sale:<saleId>:t<n>`). */
  sold(quantity: number): { saleId: string; tickets: string[] } {
    const sale = this.sale('desk-a', 'Floor', quantity, 'pool');
    this.decide(sale);
    return {
      saleId: sale._id,
      tickets: Array.from({ length: quantity }, (_, i) => `sale:${sale._id}:t${i + 1}`),
    };
  }

  scanned(
    device: string,
    gate: string,
    ticketId: string,
    scannedAt: string,
    options: Partial<Pick<DataOf<'TicketScanned'>, 'direction' | 'verdict' | 'code'>> = {},
  ) {
    const { direction = 'entry', verdict = 'valid', code } = options;
    const opts: FactOptions = { deviceId: device };
    return this.fact(
      'TicketScanned',
      (scanId) => ({
        scanId,
        ticketId,
        concertId,
        gate,
        direction,
        scannedAt,
        verdict,
        ...(code ? { code, kind: 'guaranteed' as const } : {}),
      }),
      opts,
    );
  }

  scan(...args: Parameters<Gates['scanned']>) {
    return this.decide(this.scanned(...args));
  }

  annul(device: string, scan: { _id: string; data: { ticketId: string; gate: string } }, annulledAt: string) {
    const { ticketId, gate } = scan.data;
    const fact = this.fact(
      'TicketScanAnnulled',
      (annulId) => ({ annulId, scanId: scan._id, ticketId, concertId, gate, annulledAt }),
      { deviceId: device },
    );
    return this.decide(fact);
  }

  refund(saleId: string, ticketIds: string[], device = 'desk-b') {
    const fact = this.fact(
      'SaleRefundRequested',
      (refundId) => ({
        refundId,
        saleId,
        concertId,
        ticketIds,
        amount: 10_000 * ticketIds.length,
        currency: 'PLN',
      }),
      { deviceId: device },
    );
    return this.decide(fact);
  }
}

describe('the gate in the concert’s stream', () => {
  it('lets the first valid entry in and refuses a later entry at another gate, naming both gates and times', () => {
    const log = new Gates();
    const { tickets } = log.sold(2);
    const [t1] = tickets;
    if (!t1) throw new Error('no ticket');
    const first = log.scan('scanner-north', 'North', t1, at(30));
    expect(first).toMatchObject({
      type: 'TicketEntered',
      data: { gate: 'North', at: at(30), deviceId: 'scanner-north' },
    });
    const second = log.scan('scanner-south', 'South', t1, at(35));
    expect(second).toMatchObject({
      type: 'TicketScanRefused',
      data: { reason: 'already_used', gate: 'South', at: at(35), firstEntry: { gate: 'North', at: at(30) } },
    });
    // The authority adds its own time to each decision; every decision is readable at the edges.
    expect(second.meta.recordedAt).toBe(log.now);
    for (const doc of log.docs.filter((d) => d.type.startsWith('Ticket')))
      expect(parseEventDoc(doc)).toMatchObject({ ok: true });
  });

  it('takes exit then re-entry, and refuses an exit of a ticket that is not inside', () => {
    const log = new Gates();
    const [t1] = log.sold(1).tickets;
    if (!t1) throw new Error('no ticket');
    expect(log.scan('s1', 'North', t1, at(1), { direction: 'exit' })).toMatchObject({
      type: 'TicketScanRefused',
      data: { reason: 'not_inside' },
    });
    expect(log.scan('s1', 'North', t1, at(2)).type).toBe('TicketEntered');
    expect(log.scan('s1', 'North', t1, at(3), { direction: 'exit' }).type).toBe('TicketExited');
    expect(log.scan('s2', 'South', t1, at(4)).type).toBe('TicketEntered');
    expect(log.scan('s1', 'North', t1, at(5))).toMatchObject({
      data: { reason: 'already_used', firstEntry: { gate: 'South', at: at(4) } },
    });
  });

  it('takes a signed ticket sold offline before its sale is heard of, and counts it when the sale arrives', () => {
    const log = new Gates();
    const sale = log.sale('desk-offline', 'Floor', 1, 'allotment');
    const ticketId = `sale:${sale._id}:t1`;
    expect(log.scan('s1', 'North', ticketId, at(10), { code: 'SD1.claim.signature' }).type).toBe(
      'TicketEntered',
    );
    // Without a signed code, a ticket nobody sold is no ticket.
    expect(log.scan('s1', 'North', 'sale:nothing:t1', at(10))).toMatchObject({
      data: { reason: 'not_found' },
    });
    log.decide(sale);
    expect(log.scan('s2', 'South', ticketId, at(12))).toMatchObject({
      data: { reason: 'already_used', firstEntry: { gate: 'North', at: at(10) } },
    });
  });

  it('keeps a scan the scanner turned away a refusal, with the scanner’s reason (wrong concert, provisional)', () => {
    const log = new Gates();
    const [t1] = log.sold(1).tickets;
    if (!t1) throw new Error('no ticket');
    expect(
      log.scan('s1', 'North', 'sale:other-concert:t1', at(1), { verdict: 'wrong_concert' }),
    ).toMatchObject({
      type: 'TicketScanRefused',
      data: { reason: 'wrong_concert' },
    });
    expect(log.scan('s1', 'North', t1, at(2), { verdict: 'provisional' })).toMatchObject({
      data: { reason: 'provisional' },
    });
    // Nobody went in: the ticket's first entry is still to come.
    expect(log.scan('s1', 'North', t1, at(3)).type).toBe('TicketEntered');
  });

  describe('annulling a scan', () => {
    it('undoes the scanner’s own scan within two minutes: the ticket is outside again', () => {
      const log = new Gates();
      const [t1] = log.sold(1).tickets;
      if (!t1) throw new Error('no ticket');
      const scan = log.scanned('s1', 'North', t1, at(20));
      log.decide(scan);
      expect(log.annul('s1', scan, at(21, 59))).toMatchObject({
        type: 'TicketScanAnnulmentAccepted',
        data: { scanId: scan._id, inside: null, deviceId: 's1' },
      });
      expect(log.scan('s2', 'South', t1, at(25)).type).toBe('TicketEntered');
    });

    it('refuses after two minutes, another scanner’s scan, a scan since superseded, and a second annulment', () => {
      const log = new Gates();
      const [t1, t2] = log.sold(2).tickets;
      if (!t1 || !t2) throw new Error('no tickets');
      const late = log.scanned('s1', 'North', t1, at(20));
      log.decide(late);
      expect(log.annul('s1', late, at(22, 1))).toMatchObject({ data: { code: 'too_late' } });
      expect(log.annul('s2', late, at(20, 30))).toMatchObject({ data: { code: 'not_own_scan' } });
      const entry = log.scanned('s1', 'North', t2, at(30));
      log.decide(entry);
      log.scan('s1', 'North', t2, at(30, 30), { direction: 'exit' });
      expect(log.annul('s1', entry, at(31))).toMatchObject({ data: { code: 'superseded' } });
      const exit = log.scanned('s1', 'North', t1, at(40), { direction: 'exit' });
      log.decide(exit);
      expect(log.annul('s1', exit, at(40, 30))).toMatchObject({
        type: 'TicketScanAnnulmentAccepted',
        data: { inside: { gate: 'North', at: at(20) } },
      });
      expect(log.annul('s1', exit, at(40, 40))).toMatchObject({ data: { code: 'already_annulled' } });
      expect(log.scan('s2', 'South', t1, at(41))).toMatchObject({ data: { reason: 'already_used' } });
    });
  });

  describe('refunding a confirmed sale', () => {
    it('voids its tickets and gives the seats back to the pool; a voided ticket is refused at the gate', () => {
      const log = new Gates();
      const { saleId, tickets } = log.sold(3);
      const seatsLeft = () => availability(log.state.concert).find((l) => l.level === 'Floor')?.left;
      expect(seatsLeft()).toBe(7);
      const refunded = log.refund(saleId, tickets.slice(0, 2));
      expect(refunded).toMatchObject({
        type: 'SaleRefunded',
        data: {
          saleId,
          level: 'Floor',
          ticketIds: tickets.slice(0, 2),
          deviceId: 'desk-b',
          refundedAt: log.now,
        },
      });
      expect(seatsLeft()).toBe(9);
      expect(parseEventDoc(refunded)).toMatchObject({ ok: true });
      expect(log.scan('s1', 'North', tickets[0] ?? '', at(1))).toMatchObject({ data: { reason: 'voided' } });
      expect(log.scan('s1', 'North', tickets[2] ?? '', at(1)).type).toBe('TicketEntered');
    });

    it('refuses a sale it does not know, tickets of another sale, and tickets refunded already', () => {
      const log = new Gates();
      const one = log.sold(1);
      const two = log.sold(2);
      expect(log.refund('no-such-sale', ['sale:no-such-sale:t1'])).toMatchObject({
        data: { code: 'unknown_sale' },
      });
      expect(log.refund(one.saleId, [...one.tickets, ...two.tickets])).toMatchObject({
        data: { code: 'not_of_sale' },
      });
      log.refund(one.saleId, one.tickets);
      const twice = log.refund(one.saleId, one.tickets);
      expect(twice).toMatchObject({ data: { code: 'already_refunded' } });
      expect(parseEventDoc(twice)).toMatchObject({ ok: true });
      // A ticket inside is refunded too (the desk decided): it may go out, and not come in again.
      log.scan('s1', 'North', two.tickets[0] ?? '', at(1));
      expect(log.refund(two.saleId, two.tickets).type).toBe('SaleRefunded');
      expect(log.scan('s1', 'North', two.tickets[0] ?? '', at(2), { direction: 'exit' }).type).toBe(
        'TicketExited',
      );
      expect(log.scan('s1', 'North', two.tickets[0] ?? '', at(3))).toMatchObject({
        data: { reason: 'voided' },
      });
    });
  });

  it('keeps a batch’s tentative scans out of the authority’s state until they are appended', () => {
    const log = new Gates();
    const [t1] = log.sold(1).tickets;
    if (!t1) throw new Error('no ticket');
    const scan = log.scanned('s1', 'North', t1, at(1));
    let view = tentativeView(log.state);
    const decision = decideFact(scan, view, log.now);
    if (!decision) throw new Error('not decided');
    const doc = decisionDoc(concertId, view.head, decision, scan, {
      decisionId: 'd',
      authorityId: 'a',
      now: log.now,
    });
    view = evolveAuthority(view, doc);
    expect(view.gate.inside.get(t1)).toEqual({ gate: 'North', at: at(1) });
    expect(log.state.gate.inside.get(t1)).toBeUndefined();
  });
});
