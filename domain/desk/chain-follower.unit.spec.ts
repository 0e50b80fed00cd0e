// Following a stream as its decisions arrive gives the chain followChain gives from all of them: any batches, any
// order, copies, orphans, squatters, and rival decisions at one position.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyChain, followChain } from '../log/stream';
import type { ChainLink } from '../log/stream';
import { chainFollower } from './chain-follower';

const link = (position: number, prev: string | null, decisionId: string): ChainLink => ({
  position,
  prev,
  decisionId,
});

/**
 * A chain of `length`, then rivals and squatters naming a decision of it (or none) at some position. A decision id
 * names one decision (a copy is the same decision again).
 */
const streamArb = fc
  .record({
    length: fc.integer({ min: 0, max: 12 }),
    others: fc.array(
      fc.record({ position: fc.nat(15), prev: fc.option(fc.nat(14)), id: fc.string({ maxLength: 2 }) }),
      { maxLength: 6 },
    ),
  })
  .map(({ length, others }) => [
    ...Array.from({ length }, (_, i) => link(i, i === 0 ? null : `d${i - 1}`, `d${i}`)),
    ...others.map((o, i) => link(o.position, o.prev === null ? null : `d${o.prev}`, `x${i}${o.id}`)),
  ]);

describe('following a chain as it arrives', () => {
  it('ends with the chain followChain reads from all the decisions, whatever the arrival', () => {
    fc.assert(
      fc.property(
        streamArb,
        fc.infiniteStream(fc.nat(1000)),
        fc.array(fc.nat(20), { maxLength: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (decisions, keys, copies, batch) => {
          const order = [...keys.take(decisions.length)];
          const shuffled = decisions
            .map((d, i) => ({ d, key: order[i] ?? 0 }))
            .sort((a, b) => a.key - b.key)
            .map(({ d }) => d);
          const arriving = [...shuffled, ...copies.flatMap((c) => (decisions[c] ? [decisions[c]] : []))];
          const follower = chainFollower<ChainLink>();
          let folded: ChainLink[] = [];
          for (let i = 0; i < arriving.length; i += batch) {
            const step = follower.add(arriving.slice(i, i + batch));
            folded = step.rebuilt ? step.accepted : [...folded, ...step.accepted];
          }
          const expected = followChain(emptyChain(), decisions).accepted;
          expect(follower.chain()).toEqual(expected);
          expect(folded).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a decision that came before its predecessor until the predecessor is there', () => {
    const follower = chainFollower<ChainLink>();
    expect(follower.add([link(0, null, 'a'), link(2, 'b', 'c')]).accepted.map((d) => d.decisionId)).toEqual([
      'a',
    ]);
    expect(follower.add([link(1, 'a', 'b')])).toEqual({
      accepted: [link(1, 'a', 'b'), link(2, 'b', 'c')],
      rebuilt: false,
    });
  });

  it('reads the chain again when a late rival wins a position already passed', () => {
    const follower = chainFollower<ChainLink>();
    follower.add([link(0, null, 'm'), link(1, 'm', 'n')]);
    const step = follower.add([link(0, null, 'k')]);
    expect(step).toEqual({ accepted: [link(0, null, 'k')], rebuilt: true });
  });
});
