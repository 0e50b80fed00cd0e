// An organizer's requests as the authority decides them: each request type yields its decision, or a rejection
// that names the rule, and the decision changes the concert as the authority holds it.
import { describe, expect, it } from 'vitest';
import type { ConcertFactType, FactDoc } from '../events/catalogue';
import { decideFact, decisionDoc, evolveAuthority, initialAuthorityState } from './concert-authority';
import type { ConcertAuthorityState } from './concert-authority';

const concertId = 'requests';
const details = {
  concertId,
  artist: 'Artist',
  title: 'Tour',
  venue: 'Hall',
  city: 'Gdańsk',
  startsAt: '2027-02-01T20:00:00+01:00',
  timezone: 'Europe/Warsaw',
};
let n = 0;
function request<T extends ConcertFactType>(
  type: T,
  data: Extract<FactDoc, { type: T }>['data'],
): FactDoc<ConcertFactType> {
  const id = `01K${String(++n).padStart(23, '0')}`;
  const meta = {
    deviceId: 'office',
    userId: 'o',
    recordedAt: '2026-11-21T10:00:00Z',
    correlationId: id,
    causationId: id,
  };
  return { _id: id, type, v: 1, stream: `concert-${concertId}`, data, meta } as FactDoc<ConcertFactType>;
}

/** Decides and applies, as the authority's loop does; returns the decision and the state after it. */
function apply(state: ConcertAuthorityState, fact: FactDoc<ConcertFactType>) {
  const decision = decideFact(fact, state);
  if (!decision) return { decision, state };
  const doc = decisionDoc(concertId, state.head, decision, fact, {
    decisionId: `d-${fact._id}`,
    authorityId: 'a',
    now: '2026-11-21T10:00:01Z',
  });
  return { decision, state: evolveAuthority(state, doc) };
}

function created(): ConcertAuthorityState {
  const levels = [{ name: 'Regular', capacity: 10, price: 5000 }];
  return apply(
    initialAuthorityState(),
    request('ConcertCreationRequested', { ...details, currency: 'PLN', levels }),
  ).state;
}

describe('organizer requests decided by the authority', () => {
  it('changes details, levels and status, one decision per request', () => {
    let state = created();
    const steps: [FactDoc<ConcertFactType>, string][] = [
      [
        request('ConcertDetailsChangeRequested', { ...details, venue: 'Ergo Arena' }),
        'ConcertDetailsUpdated',
      ],
      [
        request('TicketLevelsChangeRequested', {
          concertId,
          levels: [{ name: 'Regular', capacity: 12, price: 5000 }],
        }),
        'TicketLevelsUpdated',
      ],
      [request('ConcertPublicationRequested', { concertId }), 'ConcertPublished'],
      [request('ConcertUnpublicationRequested', { concertId }), 'ConcertUnpublished'],
      [request('ConcertCancellationRequested', { concertId, reason: 'Illness' }), 'ConcertCancelled'],
    ];
    for (const [fact, expected] of steps) {
      const result = apply(state, fact);
      expect(result.decision?.type).toBe(expected);
      state = result.state;
    }
    expect(state.concert).toMatchObject({
      status: 'cancelled',
      details: { venue: 'Ergo Arena' },
      levels: [{ name: 'Regular', capacity: 12 }],
    });
    expect(state.head.nextPosition).toBe(6);
  });

  it('answers a request that breaks a rule with a rejection naming the request and the rule', () => {
    const fact = request('ConcertUnpublicationRequested', { concertId });
    expect(apply(created(), fact).decision).toEqual({
      type: 'ConcertChangeRejected',
      data: {
        concertId,
        requestId: fact._id,
        requestType: 'ConcertUnpublicationRequested',
        code: 'not_published',
        message: 'Only a published concert can be unpublished.',
      },
    });
  });

  it('decides a request once: delivered again, it yields nothing', () => {
    const fact = request('ConcertPublicationRequested', { concertId });
    const once = apply(created(), fact);
    expect(apply(once.state, fact).decision).toBeUndefined();
  });
});
