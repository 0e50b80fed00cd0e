// Benchmark (a) the store's raw _bulk_docs create rate and (b) the authority deciding a 10,000-fact backlog for one
// concert, in the same run on the same store, and reports (b) as a ratio of (a).
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { concertStream, decisionDoc } from '../domain/authority/concert-authority';
import { decisionDocId } from '../domain/log/stream';
import { startAuthority } from '../sync-server/authority/supervisor';
import { createMetrics } from '../sync-server/authority/metrics';
import {
  authorityDb,
  catalogueDb,
  createAll,
  ensureDatabase,
  ensureEventDatabase,
} from '../sync-server/store/couch';
import type { Doc } from '../sync-server/store/couch';
import { saleFact, setUpConcert, startTestStore } from '../test/support/store';
import { writeResult } from './result';

const facts = 10_000;

function lookalikeDecision(i: number): Doc {
  const fact = saleFact('bench-raw', 'desk-1', 'Regular', 1, 10000);
  const head = { decisionId: randomUUID(), nextPosition: i };
  const decision = {
    type: 'SeatsAllocated' as const,
    data: { saleId: fact._id, concertId: 'bench-raw', level: 'Regular', quantity: 1 },
  };
  return decisionDoc('bench-raw', head, decision, fact, {
    decisionId: randomUUID(),
    authorityId: 'bench',
    now: new Date().toISOString(),
  });
}
// The authority's default batch; BENCH_BATCH tries another (it applies to the raw baseline too).
const batch = Number(process.env.BENCH_BATCH ?? 1_000);

export async function benchAuthority(): Promise<Record<string, number>> {
  const store = await startTestStore();
  try {
    const { couch } = store;
    // (a) raw creates through _bulk_docs, batches of 1,000, of documents shaped and sized like the authority's
    // decisions: the ceiling the authority could reach if deciding cost nothing.
    await ensureDatabase(couch, 'bench-raw');
    const raw = couch.server.use<Doc>('bench-raw');
    const rawDocs = Array.from({ length: facts }, (_, i) => lookalikeDecision(i));
    const rawStart = performance.now();
    for (let i = 0; i < rawDocs.length; i += batch) await createAll(raw, rawDocs.slice(i, i + batch));
    const rawSeconds = (performance.now() - rawStart) / 1000;

    // (b) a backlog of sale facts written before the authority starts, then decided.
    const concertId = 'bench-concert';
    const db = await setUpConcert(couch, concertId, [
      { name: 'Regular', capacity: facts / 2, price: 10000 },
      { name: 'Golden Circle', capacity: facts / 4, price: 30000 },
    ]);
    const sales = Array.from({ length: facts }, (_, i) =>
      i % 2 === 0
        ? saleFact(concertId, `desk-${i % 10}`, 'Regular', 1, 10000)
        : saleFact(concertId, `desk-${i % 10}`, 'Golden Circle', 1, 30000),
    );
    for (let i = 0; i < sales.length; i += batch) await createAll(db, sales.slice(i, i + batch));
    await ensureEventDatabase(couch, catalogueDb);
    await ensureDatabase(couch, authorityDb);

    const target = facts + 2; // the concert's creation and publication come first
    const start = performance.now();
    const authority = startAuthority({
      couch,
      authorityId: 'bench',
      logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }),
      metrics: createMetrics(),
      batchSize: batch,
    });
    for (;;) {
      const status = authority.concerts().find((c) => c.concertId === concertId);
      if (status && status.position >= target) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const decideSeconds = (performance.now() - start) / 1000;
    await authority.stop();

    const rawPerS = Math.round(facts / rawSeconds);
    const decisionsPerS = Math.round(facts / decideSeconds);
    const decisionBytes = JSON.stringify(await db.get(decisionDocId(concertStream(concertId), 5000))).length;
    const result = {
      facts,
      decisions_per_s: decisionsPerS,
      raw_creates_per_s: rawPerS,
      ratio: Number((decisionsPerS / rawPerS).toFixed(3)),
      raw_doc_bytes: JSON.stringify(rawDocs[0]).length,
      decision_doc_bytes: decisionBytes,
    };
    writeResult('authority', result);
    return result;
  } finally {
    await store.dispose();
  }
}
