// The gate against the real store: two scanners' offline scans of the same ticket uploaded at once, each upload
// repeated, and the authority restarted in between; every scan is decided exactly once, the first entry in the
// authority's order wins and the other is refused `already_used` naming it, and a refund voids the tickets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { monotonicFactory } from 'ulid';
import { concertDatabase, concertStream } from '../../domain/authority/concert-authority';
import type { DataOf, FactDoc } from '../../domain/events/catalogue';
import { concertHandler } from '../../sync-server/authority/concert-handler';
import { startFollower } from '../../sync-server/authority/follower';
import type { Follower } from '../../sync-server/authority/follower';
import { createMetrics } from '../../sync-server/authority/metrics';
import { authorityDb, createAll, ensureDatabase } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { factMeta, readStream, saleFact, setUpConcert, startTestStore, waitFor } from '../support/store';
import type { TestStore } from '../support/store';

const concertId = 'gate-int-2027';
const nextId = monotonicFactory();
const logger = pino({ level: 'silent' });
let store: TestStore;

beforeAll(async () => {
  store = await startTestStore();
  await ensureDatabase(store.couch, authorityDb);
});
afterAll(async () => {
  await store.dispose();
});

function authority(): Follower {
  const dbName = concertDatabase(concertId);
  const handler = concertHandler({
    couch: store.couch,
    dbName,
    concertId,
    authorityId: 'int-gate',
    logger,
    metrics: createMetrics(),
    expiryCheckMs: 0,
  });
  return startFollower({
    couch: store.couch,
    dbName,
    authorityId: 'int-gate',
    handler,
    logger,
    leaseTtlMs: 1500,
    batchSize: 3,
  });
}

function scanned(
  deviceId: string,
  ticketId: string,
  gate: string,
  scannedAt: string,
): FactDoc<'TicketScanned'> {
  const id = nextId();
  const data: DataOf<'TicketScanned'> = {
    scanId: id,
    ticketId,
    concertId,
    gate,
    direction: 'entry',
    scannedAt,
    verdict: 'valid',
    code: 'SD1.signed.code',
    kind: 'guaranteed',
  };
  return {
    _id: id,
    type: 'TicketScanned',
    v: 1,
    stream: concertStream(concertId),
    data,
    meta: factMeta(deviceId, id),
  };
}

describe('the gate through the real store', () => {
  it('decides every scan once, in one order, across repeated uploads and a restart', async () => {
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Floor', capacity: 10, price: 10_000 }]);
    let follower = authority();
    const sale = saleFact(concertId, 'desk-a', 'Floor', 2, 10_000);
    const [t1, t2] = [`sale:${sale._id}:t1`, `sale:${sale._id}:t2`];
    // The scanners reconnect before the desk that sold offline: the signed codes vouch for tickets not heard of yet.
    const north = [scanned('scanner-north', t1, 'North', '2027-05-01T18:30:00.000Z')];
    const south = [
      scanned('scanner-south', t1, 'South', '2027-05-01T18:31:00.000Z'),
      scanned('scanner-south', t2, 'South', '2027-05-01T18:31:30.000Z'),
    ];
    await createAll(db, [...north, ...south] as Doc[]);
    // Stopped once it has decided some of them: the next instance goes on from the stream as written.
    await waitFor(
      'a first scan decided',
      async () => {
        const read = await readStream(store.couch, concertId);
        return read.accepted.some((d) => d.type === 'TicketEntered') ? true : undefined;
      },
      20_000,
    );
    await follower.stop();
    follower = authority();
    // Uploads repeated (a retry after a lost answer): the same documents, already there.
    await createAll(db, [...south, ...north, sale] as Doc[]);
    const causes = new Set([...north, ...south, sale].map((f) => f._id));
    const { accepted, orphans } = await waitFor(
      'every scan decided',
      async () => {
        const read = await readStream(store.couch, concertId);
        const decided = read.accepted.filter((d) => causes.has(d.meta.causationId));
        return decided.length >= causes.size ? read : undefined;
      },
      20_000,
    );
    expect(orphans).toEqual([]);
    const byCause = new Map(accepted.map((d) => [d.meta.causationId, d]));
    expect(accepted.filter((d) => causes.has(d.meta.causationId))).toHaveLength(causes.size);
    expect(byCause.get(north[0]?._id ?? '')).toMatchObject({
      type: 'TicketEntered',
      data: { gate: 'North' },
    });
    expect(byCause.get(south[0]?._id ?? '')).toMatchObject({
      type: 'TicketScanRefused',
      data: {
        reason: 'already_used',
        gate: 'South',
        firstEntry: { gate: 'North', at: '2027-05-01T18:30:00.000Z' },
      },
    });
    expect(byCause.get(south[1]?._id ?? '')?.type).toBe('TicketEntered');

    // The desk refunds the sale: its tickets are voided, and a later scan of one is refused.
    const refundId = nextId();
    const refund: FactDoc<'SaleRefundRequested'> = {
      _id: refundId,
      type: 'SaleRefundRequested',
      v: 1,
      stream: concertStream(concertId),
      data: { refundId, saleId: sale._id, concertId, ticketIds: [t1, t2], amount: 20_000, currency: 'PLN' },
      meta: factMeta('desk-a', refundId),
    };
    await createAll(db, [refund] as Doc[]);
    const late = scanned('scanner-north', t2, 'North', '2027-05-01T18:45:00.000Z');
    await createAll(db, [late] as Doc[]);
    const answer = await waitFor(
      'the late scan decided',
      async () => {
        const read = await readStream(store.couch, concertId);
        return read.accepted.find((d) => d.meta.causationId === late._id);
      },
      20_000,
    );
    expect(answer).toMatchObject({ type: 'TicketScanRefused', data: { reason: 'voided' } });
    const refunded = (await readStream(store.couch, concertId)).accepted.find(
      (d) => d.meta.causationId === refundId,
    );
    expect(refunded).toMatchObject({ type: 'SaleRefunded', data: { ticketIds: [t1, t2], level: 'Floor' } });
    await follower.stop();
  });
});
