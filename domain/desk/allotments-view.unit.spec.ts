// The organizer's allotments screen reads this projection: every desk's block as the authority decided it, the free
// seats of each level, the requests with the authority's answers, and what this desk can give back without breaking
// a promise it made to a buyer.
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import { projectAllotments } from './allotments-view';
import { ConcertLogBuilder, nextId } from './concert-log.fixtures';

const concertId = 'allotment-view-arena';

/** A published concert with one level of `capacity` seats. */
const arena = (capacity = 10) => new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity }]).publish();

const quarantine = (fact: FactDoc, reason: string): AnyEventDoc => {
  const id = `quarantine:${fact._id}`;
  return {
    _id: id,
    type: 'FactQuarantined',
    v: 1,
    stream: 'quarantine',
    data: { docId: fact._id, database: `stagedoor-concert-${concertId}`, reason, docType: fact.type },
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: '2027-04-30T12:00:00.000Z',
      correlationId: id,
      causationId: id,
    },
  };
};

describe('allotments view', () => {
  it('shows each block as granted, sold from, given back and remaining, and the seats still free for grants', () => {
    const log = arena();
    log.decide(log.grant('desk-a', 'Floor', 4));
    log.decide(log.grant('desk-b', 'Floor', 3));
    log.decide(log.sale('desk-a', 'Floor', 2, 'allotment'));
    log.decide(log.sale('desk-c', 'Floor', 1, 'pool'));
    log.decide(log.giveBack('desk-b', 'Floor', 1));

    const view = projectAllotments(log.docs, concertId, 'desk-b');

    expect(view.onSale).toBe(true);
    // Own block first, then the others by desk.
    expect(view.blocks).toEqual([
      {
        deviceId: 'desk-b',
        level: 'Floor',
        granted: 3,
        sold: 0,
        returned: 1,
        lapsed: 0,
        remaining: 2,
        lapsesAt: log.startsAt,
        own: true,
        returnable: 2,
      },
      {
        deviceId: 'desk-a',
        level: 'Floor',
        granted: 4,
        sold: 2,
        returned: 0,
        lapsed: 0,
        remaining: 2,
        lapsesAt: log.startsAt,
        own: false,
        returnable: 0,
      },
    ]);
    // 3 sold (2 from A's block, 1 from the pool), 4 still set aside (2 + 2): 3 free.
    expect(view.levels).toEqual([{ name: 'Floor', capacity: 10, allocated: 3, outstanding: 4, free: 3 }]);
    expect(view.lapsesAt).toBe(log.startsAt);
  });

  it("gives back only what this desk's own undecided sales and returns leave, so no promise it made breaks", () => {
    const log = arena();
    log.decide(log.grant('desk-a', 'Floor', 5));
    log.sale('desk-a', 'Floor', 2, 'allotment'); // sold offline, guaranteed, not decided yet
    log.sale('desk-a', 'Floor', 3, 'pool'); // pending sales never count against the block
    log.giveBack('desk-a', 'Floor', 1); // asked back, not decided yet
    const view = projectAllotments(log.docs, concertId, 'desk-a');
    expect(view.blocks[0]).toMatchObject({ remaining: 5, returnable: 2 });
  });

  it('gives back nothing while an "all unsold" return is on its way, nor from another desk\'s block', () => {
    const log = arena();
    log.decide(log.grant('desk-a', 'Floor', 5));
    log.giveBack('desk-a', 'Floor', 'unsold');
    expect(projectAllotments(log.docs, concertId, 'desk-a').blocks[0]).toMatchObject({
      own: true,
      returnable: 0,
    });
    expect(projectAllotments(log.docs, concertId, 'desk-b').blocks[0]).toMatchObject({
      own: false,
      returnable: 0,
    });
  });

  it('counts a quarantined fact of this desk as never pending: it takes no seats', () => {
    const log = arena();
    log.decide(log.grant('desk-a', 'Floor', 4));
    const bad = log.sale('desk-a', 'Floor', 3, 'allotment');
    const view = projectAllotments([...log.docs, quarantine(bad, 'bad meta')], concertId, 'desk-a');
    expect(view.blocks[0]?.returnable).toBe(4);
  });

  it("shows a lapsed block's unsold seats as lapsed and back in the pool, at the policy's lapse time", () => {
    const lapsesAt = '2027-04-30T18:00:00.000Z';
    const log = arena();
    log.decide(log.policy({ Floor: 3 }, ['desk-a', 'desk-b'], lapsesAt));
    log.decide(log.sale('desk-a', 'Floor', 1, 'allotment'));
    log.now = lapsesAt;
    log.lapse('desk-a', 'Floor');
    log.lapse('desk-b', 'Floor');

    const view = projectAllotments(log.docs, concertId, 'desk-a');
    expect(view.lapsesAt).toBe(lapsesAt);
    expect(
      view.blocks.map((b) => [b.deviceId, b.granted, b.sold, b.lapsed, b.remaining, b.lapsesAt]),
    ).toEqual([
      ['desk-a', 3, 1, 2, 0, lapsesAt],
      ['desk-b', 3, 0, 3, 0, lapsesAt],
    ]);
    expect(view.levels[0]).toMatchObject({ allocated: 1, outstanding: 0, free: 9 });
  });

  it("lists the requests newest first with the authority's answer: done, refused with its words, or pending", () => {
    const log = arena(5);
    const granted = log.decide(log.grant('desk-a', 'Floor', 4));
    const refused = log.grant('desk-b', 'Floor', 3);
    log.decide(refused);
    const policy = log.policy({ Floor: 2 }, ['desk-a', 'desk-b']);
    log.decide(policy);
    const waiting = log.giveBack('desk-a', 'Floor', 'unsold');
    const malformed = log.grant('desk-c', 'Floor', 1);

    const view = projectAllotments(
      [...log.docs, quarantine(malformed, 'bad meta: userId')],
      concertId,
      'desk-a',
    );

    expect(granted.type).toBe('AllotmentGranted');
    expect(view.requests.map((r) => [r.type, r.status, r.deviceId, r.quantity, r.decidedSeats])).toEqual([
      ['AllotmentGrantRequested', 'refused', 'desk-c', 1, null],
      ['AllotmentReturnRequested', 'pending', 'desk-a', 'unsold', null],
      ['AllotmentPolicySet', 'done', null, null, 1],
      ['AllotmentGrantRequested', 'refused', 'desk-b', 3, null],
      ['AllotmentGrantRequested', 'done', 'desk-a', 4, 4],
    ]);
    expect(view.requests[0]?.message).toBe('bad meta: userId');
    expect(view.requests[1]).toMatchObject({ requestId: waiting._id, writtenBy: 'desk-a', message: null });
    // A partial policy says in words who got less than asked.
    expect(view.requests[2]?.message).toContain('desk-b got 1 of 2');
    expect(view.requests[3]).toMatchObject({ requestId: refused._id, writtenBy: 'office', level: 'Floor' });
    expect(view.requests[3]?.message).toMatch(/"Floor" has 1 free seat .*Ask for 1 or fewer\./);
    expect(view.requests.find((r) => r.requestId === policy._id)?.level).toBeNull();
  });

  it('offers this desk first, then every desk seen in the log in id order, and never the authority', () => {
    const log = arena();
    log.decide(log.grant('desk-z', 'Floor', 1));
    log.decide(log.policy({ Floor: 1 }, ['desk-m', 'desk-b']));
    log.sale('desk-q', 'Floor', 1, 'pool');
    log.now = log.startsAt;
    log.lapse('desk-z', 'Floor');
    const other = new ConcertLogBuilder('another-concert', [{ name: 'Floor', capacity: 1 }]);
    other.sale('desk-elsewhere', 'Floor', 1, 'pool');
    const view = projectAllotments([...log.docs, ...other.docs], concertId, 'me');
    expect(view.desks).toEqual(['me', 'desk-b', 'desk-elsewhere', 'desk-m', 'desk-q', 'desk-z', 'office']);
  });

  it('is the same view whatever order the documents arrive in, duplicates included, and ignores orphans', () => {
    const log = arena();
    log.decide(log.grant('desk-a', 'Floor', 4));
    log.decide(log.sale('desk-a', 'Floor', 1, 'allotment'));
    const expected = projectAllotments(log.docs, concertId, 'desk-a');

    const last = log.docs.at(-1);
    if (last?.meta === undefined || !('position' in last.meta)) throw new Error('expected a decision last');
    const orphan = {
      ...last,
      _id: `${last._id}-orphan`,
      type: 'AllotmentReturned',
      data: { returnId: nextId(), concertId, deviceId: 'desk-a', level: 'Floor', quantity: 3 },
      meta: { ...last.meta, prev: 'not-the-head', decisionId: 'orphan', position: last.meta.position + 1 },
    } as AnyEventDoc;
    const shuffled = [...log.docs, orphan, ...log.docs].reverse();
    expect(projectAllotments(shuffled, concertId, 'desk-a')).toEqual(expected);
  });

  it('has no levels, no lapse time and no sale for a concert the authority has not created', () => {
    const view = projectAllotments([], 'unknown-concert', 'desk-a');
    expect(view).toEqual({
      concertId: 'unknown-concert',
      onSale: false,
      lapsesAt: null,
      levels: [],
      blocks: [],
      requests: [],
      desks: ['desk-a'],
    });
    // A draft is known but not on sale: grants would be refused.
    const draft = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 2 }]);
    expect(projectAllotments(draft.docs, concertId, 'desk-a')).toMatchObject({
      onSale: false,
      levels: [{ free: 2 }],
    });
  });
});
