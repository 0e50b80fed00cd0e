// The desk's view kept as documents arrive is the view projected from all of them at once: for any split of the same
// documents into arrival batches, in any order and with copies, including an orphan and a rival decision that wins a
// position already passed; sales of this desk and another, from the pool and from a block, decided or not, rejected
// and settled, refunded, a hold that expires, a block that lapses, a quarantined fact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc } from '../events/catalogue';
import { arrivalOrder, ConcertLogBuilder, orphanAndRival } from './concert-log.fixtures';
import { deskLog } from './desk-log';
import { projectDesk } from './desk-view';

const concertId = 'desk-hall-2027';
const desk = 'desk-1';
const devices = [desk, 'desk-2'];

type Step = {
  device: number;
  kind: 'pool' | 'block' | 'refund' | 'settle' | 'scan' | 'return' | 'quarantine';
  quantity: number;
  decided: boolean;
};

const stepArb = fc.record({
  device: fc.integer({ min: 0, max: 1 }),
  kind: fc.constantFrom('pool', 'block', 'refund', 'settle', 'scan', 'return', 'quarantine'),
  quantity: fc.integer({ min: 1, max: 4 }),
  decided: fc.boolean(),
});

const scanAt = (log: ConcertLogBuilder, deviceId: string) =>
  log.fact(
    'TicketScanned',
    (scanId) => ({
      scanId,
      ticketId: `ticket-${scanId}`,
      concertId,
      gate: 'North',
      direction: 'entry' as const,
      scannedAt: log.now,
      verdict: 'valid' as const,
    }),
    { deviceId },
  );

function deskLogDocs(steps: Step[], rivalAt: number | null, lapse: boolean, hold: boolean) {
  const log = new ConcertLogBuilder(concertId, [
    { name: 'Floor', capacity: 12 },
    { name: 'Balcony', capacity: 6 },
  ]).publish();
  log.decide(log.grant(desk, 'Floor', 4));
  log.decide(log.grant('desk-2', 'Floor', 2));
  if (hold) log.hold('order-1', [{ level: 'Balcony', quantity: 2 }]);
  const confirmed: { saleId: string; deviceId: string; quantity: number }[] = [];
  const rejected: { saleId: string; deviceId: string }[] = [];
  const extra: AnyEventDoc[] = [];
  for (const step of steps) {
    const deviceId = devices[step.device] ?? desk;
    switch (step.kind) {
      case 'pool':
      case 'block': {
        const sale = log.sale(deviceId, 'Floor', step.quantity, step.kind === 'block' ? 'allotment' : 'pool');
        if (!step.decided) break;
        const decision = log.decide(sale);
        if (decision.type === 'SeatsAllocated')
          confirmed.push({ saleId: sale._id, deviceId, quantity: step.quantity });
        else rejected.push({ saleId: sale._id, deviceId });
        break;
      }
      case 'refund': {
        const sale = confirmed.shift();
        if (!sale) break;
        const refund = log.fact(
          'SaleRefundRequested',
          (refundId) => ({
            refundId,
            saleId: sale.saleId,
            concertId,
            ticketIds: [`sale:${sale.saleId}:t1`],
            amount: 10_000,
            currency: 'PLN',
          }),
          { deviceId },
        );
        if (step.decided) log.decide(refund);
        break;
      }
      case 'settle': {
        const sale = rejected.shift();
        if (!sale) break;
        const settlement = log.settle(sale.saleId, sale.deviceId, 'cash_refund');
        if (step.decided) log.decide(settlement);
        break;
      }
      case 'scan': {
        const scan = scanAt(log, deviceId);
        if (step.decided) log.decide(scan);
        break;
      }
      case 'return': {
        const back = log.giveBack(deviceId, 'Floor', step.quantity === 4 ? 'unsold' : 1);
        if (step.decided) log.decide(back);
        break;
      }
      case 'quarantine': {
        // A sale or, as often, a scan: a gate's facts are kept apart from the others (desk-log.ts).
        const fact =
          step.quantity > 2 ? scanAt(log, deviceId) : log.sale(deviceId, 'Balcony', step.quantity, 'pool');
        extra.push({
          _id: `quarantine:${fact._id}`,
          type: 'FactQuarantined',
          v: 1,
          stream: 'quarantine',
          data: {
            docId: fact._id,
            database: 'concert',
            reason: 'The fact is not one the catalogue knows.',
            docType: fact.type,
          },
          meta: { ...fact.meta, deviceId: 'authority', userId: 'authority', causationId: fact._id },
        });
        break;
      }
    }
  }
  if (lapse) {
    log.now = '2027-05-02T12:00:00.000Z';
    try {
      log.lapse(desk, 'Floor');
    } catch {
      // Nothing of the block left to lapse: the log goes on without it.
    }
  }
  return [...log.docs, ...extra, ...orphanAndRival(log.docs, rivalAt)];
}

describe('the desk’s view as documents arrive', () => {
  it('is the view projected from all of them, whatever the batches, their order and copies', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 16 }),
        fc.option(fc.nat(40)),
        fc.boolean(),
        fc.boolean(),
        fc.infiniteStream(fc.nat(1000)),
        fc.array(fc.nat(80), { maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (steps, rivalAt, lapse, hold, keys, copies, batch) => {
          const docs = deskLogDocs(steps, rivalAt, lapse, hold);
          const arriving = arrivalOrder(docs, [...keys.take(docs.length)], copies);
          const incremental = deskLog(desk);
          for (let i = 0; i < arriving.length; i += batch) {
            incremental.add(arriving.slice(i, i + batch));
            // Looked at between batches too, as the screen does: a view made early must not stick.
            if (i % (2 * batch) === 0) incremental.view();
          }
          expect(incremental.view()).toEqual(projectDesk(docs, desk));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('makes the view again only after news that changed it', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 5 }]).publish();
    const incremental = deskLog(desk);
    incremental.add(log.docs);
    const first = incremental.view();
    expect(incremental.add(log.docs)).toBe(false);
    expect(incremental.view()).toBe(first);
    const sale = log.sale(desk, 'Floor', 2, 'pool');
    expect(incremental.add([sale])).toBe(true);
    expect(incremental.view().undecided).toEqual([sale._id]);
    incremental.add([log.decide(sale)]);
    expect(incremental.view().sales.map((s) => s.status)).toEqual(['confirmed']);
    expect(incremental.view().concerts[0]?.levels[0]?.left).toBe(3);
  });
});
