// Benchmark (d): a desk taken offline (`context.setOffline(true)`) makes 2,000 sales through the real sell screen
// (the quantity, Enter, and Enter again to the "not guaranteed" question, each one recorded before the next, as a
// person at the keyboard would), then comes back online; measured inside the page, the seconds from the browser's
// `online` event until every sale is settled on the desk: nothing waits to upload, no sale is pending in the
// availability table or the sales list. The whole way:
// the replication's push of 2,000 facts, the authority deciding them, the pull of the facts and decisions back, and
// the projection and React catching up.
//
// Baseline, same run, same browser, proxy and store, on databases the authority does not follow, once before the
// desk goes offline and once after it has settled (the ratio is against their mean, so a machine that got busier or
// quieter meanwhile shows as the two differing): the page pushes 2,000 sale-sized documents with _bulk_docs in
// batches of 1,000 (the replication's push batch) and pulls them back with _changes in batches of 1,000 (its pull
// batch), the transport's floor for moving that many documents each way.
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { concertDatabase } from '../domain/authority/concert-authority';
import type { Doc } from '../sync-server/store/couch';
import {
  baselineDocs,
  deviceIdOf,
  cpuMeter,
  focusQuantity,
  launchChromium,
  openDesk,
  round,
  startDeskStack,
} from './desk-harness';
import type { Traced, TracedFetch } from './desk-harness';
import { writeResult } from './result';

const offlineSales = 2000;
const capacity = 5000;
const targetS = 10;
// The replication's batch sizes (renderer/store/replication.ts).
const pushBatch = 1000;
const pullBatch = 1000;

type Settled = { onlineAt: number; uploadedAt: number; settledAt: number };
type Probed = Traced & { __settled: Promise<Settled> };

/** `viteConfig`: measure another build of the renderer (to compare a change with what it replaces). */
export async function benchReconnect(
  options: { viteConfig?: string } = {},
): Promise<Record<string, unknown>> {
  const stack = await startDeskStack(options);
  const browser = await launchChromium();
  try {
    const desk = await openDesk(browser, stack.url, 'Bench desk');
    const { page } = desk;

    const concertId = 'bench-reconnect';
    await stack.publishConcert(concertId, 'Reconnect Band', [{ name: 'Regular', capacity, price: 10000 }]);
    const before = await baseline(
      page,
      await stack.baselineDatabase('before'),
      baselineDocs(offlineSales, await deviceIdOf(page)),
    );
    await desk.openSell();
    await desk.choose('Reconnect Band', 'Regular');
    await desk.setOffline(true);
    await focusQuantity(page);

    const sellingStart = performance.now();
    let sold = 0;
    for (let i = 1; i <= offlineSales; i++, sold++) {
      await page.keyboard.type('1');
      await page.keyboard.press('Enter');
      // Offline and not guaranteed (this desk holds no seats of its own): the seller's yes, by keyboard.
      await page
        .getByRole('button', { name: 'Sell anyway' })
        .and(page.locator(':focus'))
        .waitFor()
        .catch(async (error: unknown) => {
          await page.screenshot({ path: 'bench/results/reconnect-failure.png' });
          throw new Error(`sale ${sold + 1} of ${offlineSales}: ${String(error)}`);
        });
      await page.keyboard.press('Enter');
      // Recorded (the sync status counts it) before the next: an Enter while a sale is being recorded is ignored.
      await waitForWaiting(page, i);
    }
    const sellingS = (performance.now() - sellingStart) / 1000;

    await armSettled(page);
    // BENCH_PROFILE=file: a CPU profile of the page from the reconnect until settled (open it in Chromium's DevTools).
    const profile = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (profile) {
      await profile.send('Profiler.enable');
      await profile.send('Profiler.start');
    }
    const machine = cpuMeter();
    await page.context().setOffline(false);
    const settled = await page.evaluate(() => (window as unknown as Probed).__settled);
    if (profile && process.env.BENCH_PROFILE) {
      const { profile: taken } = await profile.send('Profiler.stop');
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(taken));
    }
    const load = machine();

    const after = await baseline(
      page,
      await stack.baselineDatabase('after'),
      baselineDocs(offlineSales, await deviceIdOf(page)),
    );
    const transport = { pushS: (before.pushS + after.pushS) / 2, pullS: (before.pullS + after.pullS) / 2 };

    const left = await desk.left('Regular').textContent();
    if (Number(left) !== capacity - offlineSales)
      throw new Error(`expected ${capacity - offlineSales} left after settling, saw ${left}`);

    const settledS = (settled.settledAt - settled.onlineAt) / 1000;
    const fetches = await page.evaluate(() => (window as unknown as Traced).__trace.fetches);
    const timeOrigin = await page.evaluate(() => performance.timeOrigin);
    const result = {
      offline_sales: offlineSales,
      settled_s: round(settledS, 2),
      target_s: targetS,
      pass: settledS <= targetS,
      baseline:
        'browser fetch, before the desk went offline and after it settled (mean): push 2,000 docs with _bulk_docs, pull them with _changes (batches of 1,000 both ways, as the replication)',
      baseline_s: round(transport.pushS + transport.pullS, 2),
      baseline_before_s: round(before.pushS + before.pullS, 2),
      baseline_after_s: round(after.pushS + after.pullS, 2),
      baseline_push_s: round(transport.pushS, 2),
      baseline_pull_s: round(transport.pullS, 2),
      ratio: round(settledS / (transport.pushS + transport.pullS), 2),
      uploaded_s: round((settled.uploadedAt - settled.onlineAt) / 1000, 2),
      breakdown_s: breakdown(
        settled,
        fetches,
        timeOrigin,
        await stack.saleTimes(concertId),
        concertDatabase(concertId),
      ),
      selling_offline_s: round(sellingS, 1),
      machine: load,
    };
    writeResult('reconnect', result);
    return result;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

async function baseline(page: Page, db: string, docs: Doc[]): Promise<{ pushS: number; pullS: number }> {
  return page.evaluate(
    async ({ db, docs, pushBatch, pullBatch }) => {
      // The page's own device credentials, as the app's requests carry them (the store admits no anonymous write).
      const device = JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as {
        deviceId: string;
        secret: string;
      };
      const authorization = `Basic ${btoa(`${device.deviceId}:${device.secret}`)}`;
      const base = `/couch/${db}`;
      const start = performance.now();
      for (let i = 0; i < docs.length; i += pushBatch) {
        const response = await fetch(`${base}/_bulk_docs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ docs: docs.slice(i, i + pushBatch) }),
        });
        if (!response.ok) throw new Error(`_bulk_docs answered ${response.status}`);
        await response.json();
      }
      const pushed = performance.now();
      const ids = new Set(docs.map((doc) => doc._id));
      let since: string | number = 0;
      while (ids.size > 0) {
        const response = await fetch(
          `${base}/_changes?style=all_docs&include_docs=true&limit=${pullBatch}&since=${since}`,
          { headers: { authorization } },
        );
        const page = (await response.json()) as { results: { id: string }[]; last_seq: string | number };
        if (page.results.length === 0) throw new Error(`${ids.size} documents did not come back`);
        for (const row of page.results) ids.delete(row.id);
        since = page.last_seq;
      }
      const pulled = performance.now();
      return { pushS: (pushed - start) / 1000, pullS: (pulled - pushed) / 1000 };
    },
    { db, docs, pushBatch, pullBatch },
  );
}

/** Until the sync status counts `count` facts waiting to upload. */
async function waitForWaiting(page: Page, count: number): Promise<void> {
  await page.evaluate(async (count) => {
    const waiting = () =>
      Number(document.querySelector('[data-testid="sync-waiting"]')?.getAttribute('data-count'));
    if (waiting() >= count) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sale ${count} was not recorded within 10 s`)), 10_000);
      const observer = new MutationObserver(() => {
        if (waiting() < count) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve();
      });
      observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-count'] });
    });
  }, count);
}

/**
 * From the `online` event: when nothing waits to upload any more, and when every sale is settled: nothing waiting,
 * no seat pending here in the availability table, no pending row in the sales list.
 */
async function armSettled(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probed = window as unknown as Probed;
    probed.__settled = new Promise<Settled>((resolve, reject) => {
      let onlineAt = NaN;
      let uploadedAt = NaN;
      const waiting = () =>
        document.querySelector('[data-testid="sync-waiting"]')?.getAttribute('data-count');
      const pendingHere = () => document.querySelector('[data-testid="left"] + td')?.textContent;
      const check = () => {
        if (Number.isNaN(onlineAt)) return;
        const now = performance.now();
        if (waiting() !== '0') return;
        if (Number.isNaN(uploadedAt)) uploadedAt = now;
        if (pendingHere() !== '0' || document.querySelector('[data-testid="sale"][data-status="pending"]'))
          return;
        observer.disconnect();
        clearTimeout(timer);
        resolve({ onlineAt, uploadedAt, settledAt: now });
      };
      const observer = new MutationObserver(check);
      const timer = setTimeout(() => reject(new Error('not settled within 120 s of reconnecting')), 120_000);
      window.addEventListener(
        'online',
        () => {
          onlineAt = performance.now();
          observer.observe(document.body, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
            attributeFilter: ['data-count', 'data-status'],
          });
          check();
        },
        { once: true },
      );
    });
  });
}

/**
 * Where the seconds go after the `online` event, on one clock (the page's, and the decisions' own `recordedAt`):
 * when the push sent its last fact, when the authority made its first and last decision, when the last read of the
 * concert's changes answered, and how many requests each way.
 */
function breakdown(
  settled: Settled,
  fetches: TracedFetch[],
  timeOrigin: number,
  times: Map<string, { recordedAt: number; decidedAt: number }>,
  database: string,
): Record<string, number> {
  const base = `/couch/${database}/`;
  const after = fetches.filter(
    (f) => f.start >= settled.onlineAt && f.start <= settled.settledAt && f.path.startsWith(base),
  );
  const pushes = after.filter((f) => f.method === 'POST' && f.path.startsWith(`${base}_bulk_docs`));
  const reads = after.filter((f) => f.method === 'GET' && f.path.startsWith(`${base}_changes`));
  const decided = [...times.values()].map((t) => t.decidedAt).filter(Number.isFinite);
  const online = timeOrigin + settled.onlineAt;
  const seconds = (wall: number) => round((wall - online) / 1000, 2);
  return {
    first_push_s: seconds(timeOrigin + (pushes[0]?.start ?? NaN)),
    last_push_done_s: seconds(timeOrigin + (pushes.at(-1)?.end ?? NaN)),
    pushes: pushes.length,
    first_decision_s: seconds(Math.min(...decided)),
    last_decision_s: seconds(Math.max(...decided)),
    last_read_done_s: seconds(timeOrigin + (reads.at(-1)?.end ?? NaN)),
    reads: reads.length,
  };
}
