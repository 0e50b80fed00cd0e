// Invoice numbers: gapless and unique per series and year, exactly one per document.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { NumberingEvent } from './events';
import {
  decideNumbering,
  evolveNumbering,
  formatInvoiceNumber,
  initialNumberingState,
  numberingDecider,
  numberingStream,
} from './invoice-numbering';
import type { NumberingCommand } from './invoice-numbering';

const given = specification(numberingDecider);

const assign = (documentId: string, series = 'FV', year = 2026): NumberingCommand => ({
  type: 'AssignInvoiceNumber',
  data: { series, year, documentId },
});
const assigned = (documentId: string, sequence: number, series = 'FV', year = 2026): NumberingEvent => ({
  type: 'InvoiceNumberAssigned',
  data: { series, year, sequence, number: formatInvoiceNumber(series, year, sequence), documentId },
});

describe('numbering a series in a year', () => {
  it('starts at 1', () => {
    given([])
      .when(assign('inv-1'))
      .then([
        {
          type: 'InvoiceNumberAssigned',
          data: { series: 'FV', year: 2026, sequence: 1, number: 'FV/2026/000001', documentId: 'inv-1' },
        },
      ]);
  });

  it('hands out the number after the last one', () => {
    given([assigned('inv-1', 1), assigned('inv-2', 2)])
      .when(assign('inv-3'))
      .then([assigned('inv-3', 3)]);
  });

  it('numbers a document once: asking again changes nothing', () => {
    given([assigned('inv-1', 1), assigned('inv-2', 2)])
      .when(assign('inv-1'))
      .then([]);
  });

  it('numbers credit notes in their own series', () => {
    given([])
      .when(assign('cn-1', 'KOR'))
      .then([assigned('cn-1', 1, 'KOR')]);
  });

  it('refuses a request for another series or year', () => {
    given([assigned('inv-1', 1)])
      .when(assign('inv-2', 'KOR'))
      .thenThrows('wrong_series');
    given([assigned('inv-1', 1)])
      .when(assign('inv-2', 'FV', 2027))
      .thenThrows('wrong_series');
  });

  it.each(['', 'fv', 'FAKTURA', 'F1'])('refuses the series "%s"', (series) => {
    given([]).when(assign('inv-1', series)).thenThrows('invalid_series');
  });

  it.each([1999, 10_000, 2026.5])('refuses the year %d', (year) => {
    given([])
      .when(assign('inv-1', 'FV', year))
      .thenThrows('invalid_year');
  });

  it('refuses a request that names no document', () => {
    given([]).when(assign(' ')).thenThrows('invalid_document');
  });
});

describe('the number as printed', () => {
  it('is series/year/sequence in at least six digits', () => {
    expect(formatInvoiceNumber('FV', 2026, 123)).toBe('FV/2026/000123');
    expect(formatInvoiceNumber('KOR', 2027, 1_234_567)).toBe('KOR/2027/1234567');
  });

  it('comes from a stream per series and year', () => {
    expect(numberingStream('FV', 2026)).toBe('invoice-numbers-FV-2026');
  });
});

describe('numbers, for any interleaving of requests', () => {
  /** A request for one of a few documents, handled by one of two authority instances. */
  const request = fc.record({ document: fc.integer({ min: 1, max: 15 }), worker: fc.constantFrom(0, 1) });

  it('are gapless and unique, one per document, even when two instances race with stale states', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 60 }), (requests) => {
        // The stream: an append succeeds only at the next free position (a create-only write of `<stream>:<pos>`).
        const log: NumberingEvent[] = [];
        const append = (events: NumberingEvent[], position: number): boolean => {
          if (position !== log.length) return false; // 409: someone else wrote there first
          log.push(...events);
          return true;
        };
        // Each instance keeps its own state and the position it has read up to; they fall behind each other.
        const workers = [0, 1].map(() => ({ state: initialNumberingState(), read: 0 }));
        const catchUp = (w: (typeof workers)[number]) => {
          w.state = fold(evolveNumbering, w.state, log.slice(w.read));
          w.read = log.length;
        };
        for (const { document, worker } of requests) {
          const w = workers[worker]!;
          for (;;) {
            const events = decideNumbering(assign(`inv-${document}`), w.state);
            if (append(events, w.read)) {
              catchUp(w);
              break;
            }
            catchUp(w); // reload and decide again
          }
        }

        const sequences = log.map((e) => e.data.sequence);
        expect(sequences).toEqual(sequences.map((_, i) => i + 1)); // 1, 2, 3, … with no gap
        const documents = log.map((e) => e.data.documentId);
        expect(new Set(documents).size).toBe(documents.length); // one number per document
        expect(new Set(documents)).toEqual(new Set(requests.map((r) => `inv-${r.document}`))); // every one numbered
        expect(new Set(log.map((e) => e.data.number)).size).toBe(log.length);
      }),
      { numRuns: 300 },
    );
  });

  it('are the same when the stream is rebuilt from its log at any point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 40 }),
        fc.nat(40),
        (documents, cut) => {
          let state = initialNumberingState();
          const log: NumberingEvent[] = [];
          documents.forEach((d, i) => {
            if (i === cut) state = fold(evolveNumbering, initialNumberingState(), log); // a restart
            const events = decideNumbering(assign(`inv-${d}`), state);
            log.push(...events);
            state = fold(evolveNumbering, state, events);
          });
          expect(log.map((e) => e.data.sequence)).toEqual(log.map((_, i) => i + 1));
          expect(log.map((e) => e.data.documentId)).toEqual([...new Set(documents.map((d) => `inv-${d}`))]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
