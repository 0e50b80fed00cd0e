// Benchmark (c): one desk online sells 200 times through the real sell screen (the quantity, then Enter), and each
// time measures, inside the page, the milliseconds from the Enter key until that sale's row shows "confirmed". The
// whole way: the fact written to the local log (IndexedDB) and, at the same time, to its database through the sync
// server's /couch proxy; the authority deciding; the change stream bringing the decision to the desk; the projection
// and React. (The replication's pull stores the decision beside that last step.)
//
// Baseline, same run, same browser, proxy and store, interleaved with the sales (one before each, so both see the
// same machine): the page writes one sale-sized document with _bulk_docs and reads it back with _changes
// (`baseline_*`), the transport's floor for "write, then read the answer back", on a database the authority does
// not follow. A second baseline waits for the change stream's news between the write and the read, as the desk
// does (`stream_baseline_*`): the floor of the app's wake-up path. The ratios are against the first.
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
  percentile,
  round,
  startDeskStack,
} from './desk-harness';
import type { Trace, Traced } from './desk-harness';
import { writeResult } from './result';

const sales = 200;
const warmup = 10;
const targets = { p50: 100, p99: 250 };

type Outcome = { enterAt: number; pendingAt: number; confirmedAt: number; value: string };
type Probed = Traced & {
  __probe: { arm: () => void; outcome: Promise<Outcome> | undefined; since?: string | number };
};

/** `viteConfig`: measure another build of the renderer (to compare a change with what it replaces). */
export async function benchDeskLatency(
  options: { viteConfig?: string } = {},
): Promise<Record<string, unknown>> {
  const stack = await startDeskStack(options);
  const browser = await launchChromium();
  try {
    const desk = await openDesk(browser, stack.url, 'Bench desk');
    const { page } = desk;
    const concertId = 'bench-latency';
    await stack.publishConcert(concertId, 'Latency Band', [
      { name: 'Regular', capacity: 10_000, price: 10000 },
    ]);
    await desk.openSell();
    await desk.choose('Latency Band', 'Regular');
    await focusQuantity(page);
    await installProbe(page);
    const db = await stack.baselineDatabase('latency');
    const docs = baselineDocs(2 * (warmup + sales), await deviceIdOf(page));

    const outcomes: Outcome[] = [];
    const direct: number[] = [];
    const viaStream: number[] = [];
    let machine: (() => ReturnType<ReturnType<typeof cpuMeter>>) | undefined;
    // BENCH_PROFILE=file: a CPU profile of the page over the measured sales (open it in Chromium's DevTools).
    const profile = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    for (let i = 0; i < warmup + sales; i++) {
      if (i === warmup) {
        machine = cpuMeter();
        if (profile) {
          await profile.send('Profiler.enable');
          await profile.send('Profiler.start');
        }
      }
      const [first, second] = [docs[2 * i], docs[2 * i + 1]];
      if (!first || !second) throw new Error('not enough baseline documents');
      // The one that waits for the change stream first: the other's news would otherwise arrive in its wait.
      const viaStreamMs = await roundTrip(page, db, first, true);
      const directMs = await roundTrip(page, db, second, false);
      await page.evaluate(() => (window as unknown as Probed).__probe.arm());
      await page.keyboard.type('1');
      await page.keyboard.press('Enter');
      const outcome = await page.evaluate(() => (window as unknown as Probed).__probe.outcome);
      if (!outcome) throw new Error('the probe was not armed');
      if (outcome.value !== '1') throw new Error(`sale ${i} was typed as ${JSON.stringify(outcome.value)}`);
      if (i < warmup) continue;
      outcomes.push(outcome);
      direct.push(directMs);
      viaStream.push(viaStreamMs);
    }
    const load = machine?.();
    if (profile && process.env.BENCH_PROFILE) {
      const { profile: taken } = await profile.send('Profiler.stop');
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(taken));
    }
    const left = await desk.left('Regular').textContent();
    if (Number(left) !== 10_000 - warmup - sales)
      throw new Error(`expected ${10_000 - warmup - sales} left, saw ${left}`);

    const latencies = outcomes.map((o) => o.confirmedAt - o.enterAt);
    const trace = await page.evaluate(() => {
      const { fetches, changes } = (window as unknown as Traced).__trace;
      return { fetches, changes };
    });
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const result = {
      sales,
      p50_ms: round(p50),
      p99_ms: round(p99),
      max_ms: round(Math.max(...latencies)),
      target_p50_ms: targets.p50,
      target_p99_ms: targets.p99,
      pass: p50 <= targets.p50 && p99 <= targets.p99,
      baseline:
        'browser fetch, before each sale: _bulk_docs of 1 doc, then _changes reads until it is back (proxy + store)',
      baseline_p50_ms: round(percentile(direct, 50)),
      baseline_p99_ms: round(percentile(direct, 99)),
      ratio_p50: round(p50 / percentile(direct, 50), 2),
      ratio_p99: round(p99 / percentile(direct, 99), 2),
      stream_baseline_p50_ms: round(percentile(viaStream, 50)),
      stream_baseline_p99_ms: round(percentile(viaStream, 99)),
      pending_shown_p50_ms: round(
        percentile(outcomes.map((o) => o.pendingAt - o.enterAt).filter(Number.isFinite), 50),
      ),
      breakdown_p50_ms: breakdown(
        outcomes,
        trace,
        await page.evaluate(() => performance.timeOrigin),
        await stack.saleTimes(concertId),
        concertDatabase(concertId),
      ),
      warmup_sales: warmup,
      machine: load,
    };
    writeResult('desk-latency', result);
    return result;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/**
 * One round trip from the page: write one document with _bulk_docs, then read _changes until it is back (after the
 * change stream's news about the database, if asked; if that news never comes, after 2 s, which shows in the
 * figures). Milliseconds, page clock.
 */
async function roundTrip(page: Page, db: string, doc: Doc, viaStream: boolean): Promise<number> {
  return page.evaluate(
    async ({ db, doc, viaStream }) => {
      // The page's own device credentials, as the app's requests carry them (the store admits no anonymous write).
      const device = JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as {
        deviceId: string;
        secret: string;
      };
      const authorization = `Basic ${btoa(`${device.deviceId}:${device.secret}`)}`;
      const probed = window as unknown as Probed;
      const trace = probed.__trace;
      const base = `/couch/${db}`;
      type Changes = { results: { id: string }[]; last_seq: string | number };
      const read = async (since: string | number): Promise<Changes> => {
        const response = await fetch(
          `${base}/_changes?style=all_docs&include_docs=true&limit=500&since=${since}`,
          { headers: { authorization } },
        );
        return (await response.json()) as Changes;
      };
      probed.__probe.since ??= (await read(0)).last_seq;
      const news = viaStream
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2_000);
            trace.onChange = (database) => {
              if (database !== db) return;
              clearTimeout(timer);
              trace.onChange = undefined;
              resolve();
            };
          })
        : undefined;
      const start = performance.now();
      const written = await fetch(`${base}/_bulk_docs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ docs: [doc] }),
      });
      if (!written.ok) throw new Error(`_bulk_docs answered ${written.status}`);
      await written.json();
      for (let seen = false; !seen;) {
        await news;
        const changes = await read(probed.__probe.since);
        probed.__probe.since = changes.last_seq;
        seen = changes.results.some((row) => row.id === doc._id);
      }
      return performance.now() - start;
    },
    { db, doc, viaStream },
  );
}

/** Watches the newest sale row: the Enter key's time, then when the new row shows pending and confirmed. */
async function installProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const probed = window as unknown as Probed;
    let enterAt = NaN;
    let value = '';
    document.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== 'Enter') return;
        enterAt = performance.now();
        value = (event.target as HTMLInputElement).value;
      },
      true,
    );
    probed.__probe = {
      outcome: undefined,
      arm() {
        const before = document.querySelector('[data-testid="sale"]');
        enterAt = NaN;
        probed.__probe.outcome = new Promise<Outcome>((resolve, reject) => {
          let pendingAt = NaN;
          const timer = setTimeout(() => reject(new Error('no confirmation within 30 s')), 30_000);
          const observer = new MutationObserver(() => {
            const row = document.querySelector('[data-testid="sale"]');
            if (!row || row === before) return;
            const status = row.getAttribute('data-status');
            const now = performance.now();
            if (status === 'pending') {
              if (Number.isNaN(pendingAt)) pendingAt = now;
              return;
            }
            observer.disconnect();
            clearTimeout(timer);
            if (status === 'confirmed') resolve({ enterAt, pendingAt, confirmedAt: now, value });
            else reject(new Error(`the sale was ${status}: ${row.textContent}`));
          });
          observer.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: ['data-status'],
          });
        });
      },
    };
  });
}

/**
 * Where a sale's time goes (medians over the sales, ms), on one clock: the page's (performance.timeOrigin + now) and
 * the facts' and decisions' own `recordedAt` (the desk's and the authority's clocks: the same machine's). From the
 * Enter key to the fact being made; to the upload's request (renderer/store/direct-upload.ts: one _bulk_docs, sent
 * while the local write goes on); the upload's round trip (its answer often comes after the decision); from the fact
 * to the authority's decision (the store's feed, its long-poll, deciding, the decision's write); to the change
 * stream bringing the decision to the page (the sync server's change feed, server-sent events); and from there to the
 * row showing "confirmed" (the projection, React). The replication's read of the decision (`read`) runs beside that
 * last step: it stores the decision, and is no longer on the way to the screen.
 */
function breakdown(
  outcomes: Outcome[],
  trace: Trace,
  timeOrigin: number,
  times: Map<string, { recordedAt: number; decidedAt: number }>,
  database: string,
): Record<string, number> {
  const base = `/couch/${database}/`;
  const parts: Record<string, number[]> = {};
  const add = (name: string, value: number) => (parts[name] ??= []).push(value);
  // Sales are made one after the other: the newest facts are the measured sales, in order.
  const sales = [...times.values()].sort((a, b) => a.recordedAt - b.recordedAt).slice(-outcomes.length);
  const wall = (pageTime: number) => timeOrigin + pageTime;
  outcomes.forEach(({ enterAt, confirmedAt }, i) => {
    const sale = sales[i];
    if (!sale) return;
    const inWindow = trace.fetches.filter((f) => f.start >= enterAt && f.path.startsWith(base));
    const push = inWindow.find((f) => f.method === 'POST' && f.path.startsWith(`${base}_bulk_docs`));
    const read = inWindow.find(
      (f) => f.method === 'GET' && f.path.startsWith(`${base}_changes`) && wall(f.end) >= sale.decidedAt,
    );
    const news = trace.changes.find((c) => c.database === database && wall(c.at) >= sale.decidedAt);
    if (!push || !news) return;
    add('enter_to_fact', sale.recordedAt - wall(enterAt));
    add('fact_to_push', wall(push.start) - sale.recordedAt);
    add('push', push.end - push.start);
    add('fact_to_decided', sale.decidedAt - sale.recordedAt);
    add('decided_to_news', wall(news.at) - sale.decidedAt);
    add('news_to_shown', confirmedAt - news.at);
    if (read) add('read', read.end - read.start);
  });
  return Object.fromEntries(
    Object.entries(parts).map(([name, values]) => [name, round(percentile(values, 50))]),
  );
}
