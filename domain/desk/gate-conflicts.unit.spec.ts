// The conflict report's gate part: a ticket two scanners let in (neither could know of the other's scan) is listed
// once the authority has both, with both gates and times; a scan a scanner turned away is no conflict.
import { describe, expect, it } from 'vitest';
import { ConcertLogBuilder } from './concert-log.fixtures';
import { projectConflicts } from './conflicts-view';

const concertId = 'gate-report-2027';

describe('the conflict report for the gates', () => {
  it('lists a ticket let in twice with both gates and times, and a refunded ticket let in offline', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 10 }]).publish();
    const sale = log.sale('desk-a', 'Floor', 2, 'pool');
    log.decide(sale);
    const [t1, t2] = [`sale:${sale._id}:t1`, `sale:${sale._id}:t2`];
    const scanned = (
      deviceId: string,
      ticketId: string,
      gate: string,
      scannedAt: string,
      verdict: 'valid' | 'already_used' = 'valid',
    ) =>
      log.decide(
        log.fact(
          'TicketScanned',
          (scanId) => ({
            scanId,
            ticketId,
            concertId,
            gate,
            direction: 'entry' as const,
            scannedAt,
            verdict,
          }),
          { deviceId },
        ),
      );
    scanned('scanner-north', t1, 'North', '2027-05-01T18:30:00.000Z');
    const second = scanned('scanner-south', t1, 'South', '2027-05-01T18:31:00.000Z');
    // The north scanner, having seen its own scan, turned the ticket away: nobody went in twice there.
    scanned('scanner-north', t1, 'North', '2027-05-01T18:32:00.000Z', 'already_used');
    log.decide(
      log.fact('SaleRefundRequested', (refundId) => ({
        refundId,
        saleId: sale._id,
        concertId,
        ticketIds: [t2],
        amount: 10_000,
        currency: 'PLN',
      })),
    );
    scanned('scanner-south', t2, 'South', '2027-05-01T18:40:00.000Z');

    const gates = projectConflicts(log.docs, concertId).filter((c) => c.kind === 'gate_refusal');
    expect(gates).toEqual([
      {
        kind: 'gate_refusal',
        id: second.meta.causationId,
        concertId,
        ticketId: t1,
        deviceId: 'scanner-south',
        userId: 'scanner-south-user',
        level: 'Floor',
        quantity: 1,
        gate: 'South',
        reason: 'already_used',
        firstEntry: { gate: 'North', at: '2027-05-01T18:30:00.000Z' },
        deviceTime: '2027-05-01T18:31:00.000Z',
        authorityTime: log.now,
      },
      expect.objectContaining({ ticketId: t2, reason: 'voided', firstEntry: null, gate: 'South' }),
    ]);
  });
});
