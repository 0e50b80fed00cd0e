// The chain rule of decision streams: which stored decisions count, in what order, and where the next one goes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { decisionDocId, emptyChain, followChain, parseDecisionDocId, streamRange } from './stream';
import type { ChainLink } from './stream';

const link = (position: number, decisionId: string, prev: string | null): ChainLink => ({
  position,
  decisionId,
  prev,
});

/** A well-formed chain d0 → d1 → … of n decisions. */
const chainOf = (n: number): ChainLink[] =>
  Array.from({ length: n }, (_, i) => link(i, `d${i}`, i === 0 ? null : `d${i - 1}`));

const anyOrderOf = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('followChain', () => {
  it('accepts nothing from nothing', () => {
    expect(followChain(emptyChain(), [])).toEqual({ accepted: [], orphans: [], head: emptyChain() });
  });

  it('accepts a linear chain in position order, whatever order it arrives in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).chain((n) => anyOrderOf(chainOf(n))),
        (decisions) => {
          const n = decisions.length;
          expect(followChain(emptyChain(), decisions)).toEqual({
            accepted: chainOf(n),
            orphans: [],
            head: { decisionId: `d${n - 1}`, nextPosition: n },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('starts a chain only at a decision with no predecessor', () => {
    const stray = link(0, 'x0', 'somewhere');
    expect(followChain(emptyChain(), [stray])).toEqual({
      accepted: [],
      orphans: [stray],
      head: { decisionId: null, nextPosition: 1 },
    });
  });

  it('skips an orphan and goes on with the decisions that link to the head', () => {
    const [d0] = chainOf(1) as [ChainLink];
    const orphan = link(1, 'x1', 'elsewhere');
    const next = link(2, 'd2', 'd0');
    expect(followChain(emptyChain(), [next, orphan, d0])).toEqual({
      accepted: [d0, next],
      orphans: [orphan],
      head: { decisionId: 'd2', nextPosition: 3 },
    });
  });

  it('writes next after the highest position seen, even when that one is an orphan', () => {
    const chain = chainOf(2);
    const orphan = link(2, 'x2', 'elsewhere');
    expect(followChain(emptyChain(), [...chain, orphan])).toEqual({
      accepted: chain,
      orphans: [orphan],
      head: { decisionId: 'd1', nextPosition: 3 },
    });
  });

  it("treats an orphan's successors as orphans too", () => {
    const chain = chainOf(1);
    const orphan = link(1, 'x1', 'elsewhere');
    const child = link(2, 'x2', 'x1');
    expect(followChain(emptyChain(), [child, ...chain, orphan])).toEqual({
      accepted: chain,
      orphans: [orphan, child],
      head: { decisionId: 'd0', nextPosition: 3 },
    });
  });

  it('accepts a decision delivered twice only once, and does not call its copy an orphan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }).chain((n) => anyOrderOf([...chainOf(n), ...chainOf(n)])),
        (decisions) => {
          const n = decisions.length / 2;
          expect(followChain(emptyChain(), decisions)).toEqual({
            accepted: chainOf(n),
            orphans: [],
            head: { decisionId: `d${n - 1}`, nextPosition: n },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  describe('two decisions at one position (a cluster conflict)', () => {
    // Two authorities both wrote position 1 after d0, then each went on from its own decision.
    const d0 = link(0, 'd0', null);
    const first = link(1, '01KA'.padEnd(26, 'A'), 'd0');
    const second = link(1, '01KB'.padEnd(26, 'B'), 'd0');
    const afterFirst = link(2, '01KC'.padEnd(26, 'C'), first.decisionId);
    const afterSecond = link(2, '01KD'.padEnd(26, 'D'), second.decisionId);
    const all = [d0, first, second, afterFirst, afterSecond];

    it('accepts exactly one of them, and the decisions that follow it', () => {
      expect(followChain(emptyChain(), all)).toEqual({
        accepted: [d0, first, afterFirst],
        orphans: [second, afterSecond],
        head: { decisionId: afterFirst.decisionId, nextPosition: 3 },
      });
    });

    it('picks the same one for any order of arrival', () => {
      const expected = followChain(emptyChain(), all);
      fc.assert(
        fc.property(anyOrderOf(all), (decisions) => {
          expect(followChain(emptyChain(), decisions)).toEqual(expected);
        }),
        { numRuns: 200 },
      );
    });

    describe('on a device with another locale', () => {
      afterEach(() => {
        vi.restoreAllMocks();
      });

      it('picks the same one: the smaller decisionId by code units', () => {
        // In Estonian collation Z sorts before T; ULIDs use both letters. Every reader must agree on the winner.
        const t = link(1, '01KT'.padEnd(26, '0'), 'd0');
        const z = link(1, '01KZ'.padEnd(26, '0'), 'd0');
        const here = followChain(emptyChain(), [d0, z, t]);
        const estonian = new Intl.Collator('et');
        vi.spyOn(String.prototype, 'localeCompare').mockImplementation(function (
          this: string,
          other: string,
        ) {
          return estonian.compare(this, other);
        });
        const there = followChain(emptyChain(), [d0, z, t]);
        expect(here.accepted).toEqual([d0, t]);
        expect(there).toEqual(here);
      });
    });
  });

  it('goes on from a head it was given, ignoring what lies before it', () => {
    const chain = chainOf(4);
    const head = { decisionId: 'd1', nextPosition: 2 };
    expect(followChain(head, chain)).toEqual({
      accepted: chain.slice(2),
      orphans: [],
      head: { decisionId: 'd3', nextPosition: 4 },
    });
    expect(followChain(head, chain.slice(0, 2))).toEqual({ accepted: [], orphans: [], head });
  });

  it('accepts a decision after a gap left by an orphan, from a head it was given', () => {
    // An orphan took position 2, so the authority wrote its next decision at 3, still linked to d1.
    const head = { decisionId: 'd1', nextPosition: 2 };
    const orphan = link(2, 'x2', 'elsewhere');
    const next = link(3, 'd3', 'd1');
    expect(followChain(head, [next, orphan])).toEqual({
      accepted: [next],
      orphans: [orphan],
      head: { decisionId: 'd3', nextPosition: 4 },
    });
  });
});

describe('decision document ids', () => {
  const streams = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/).map((id) => `concert-${id}`);
  const positions = fc.nat({ max: 2_147_483_647 });

  it('carry the stream and the position, and give them back', () => {
    fc.assert(
      fc.property(streams, positions, (stream, position) => {
        expect(parseDecisionDocId(decisionDocId(stream, position))).toEqual({ stream, position });
      }),
      { numRuns: 200 },
    );
    expect(decisionDocId('concert-x', 7)).toBe('concert-x:0000000007');
    expect(parseDecisionDocId(decisionDocId('concert-x', 9_999_999_999))).toEqual({
      stream: 'concert-x',
      position: 9_999_999_999,
    });
  });

  it('sort in position order, inside the range of their stream', () => {
    fc.assert(
      fc.property(streams, positions, positions, (stream, p, q) => {
        fc.pre(p < q);
        const [a, b] = [decisionDocId(stream, p), decisionDocId(stream, q)];
        const { startkey, endkey } = streamRange(stream);
        expect(a < b).toBe(true);
        expect(startkey <= a && b < endkey).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('are not mistaken for other ids', () => {
    expect(parseDecisionDocId('01K00000000000000000000001')).toBeUndefined();
    expect(parseDecisionDocId('concert-x:12')).toBeUndefined();
    expect(parseDecisionDocId(':0000000001')).toBeUndefined();
  });
});
