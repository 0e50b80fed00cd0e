// The reservation's rules, one specification each: seats held for an order, and how a hold ends.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import {
  decideReservation,
  evolveReservation,
  initialReservationState,
  reservationDecider,
  reserveOrRefuse,
  seatsTaken,
} from './reservation';
import type { ReservationCommand, ReservationState, ReserveSeats } from './reservation';
import type { ReservationDecision, ReservedLine, Staff } from './events';

const given = specification(reservationDecider);

const reservationId = 'order-1:seats:torwar';
const orderId = 'order-1';
const concertId = 'kwiat-jabloni-torwar-2026';
const anna: Staff = { userId: 'anna', role: 'desk' };
const now = '2026-11-21T18:00:00.000Z';
const in15 = '2026-11-21T18:15:00.000Z';
const ids = { reservationId, orderId, concertId };

const reserve = (overrides: Partial<ReserveSeats['data']> = {}): ReserveSeats => ({
  type: 'ReserveSeats',
  data: {
    ...ids,
    lines: [{ level: 'Regular', quantity: 2 }],
    staff: anna,
    now,
    onSale: true,
    available: { Regular: 10, 'Golden Circle': 2 },
    ...overrides,
  },
});
const confirm: ReservationCommand = { type: 'ConfirmReservation', data: { reservationId } };
const cancel = (staff: Staff = anna): ReservationCommand => ({
  type: 'CancelReservation',
  data: { reservationId, staff, reason: 'The customer left.' },
});
const expire = (at: string): ReservationCommand => ({
  type: 'ExpireReservation',
  data: { reservationId, now: at },
});
const release: ReservationCommand = { type: 'ReleaseReservation', data: { reservationId } };

const placed = (
  lines: ReservedLine[] = [{ level: 'Regular', quantity: 2 }],
  expiresAt = in15,
): ReservationDecision => ({
  type: 'ReservationPlaced',
  data: { ...ids, lines, heldBy: 'anna', placedAt: now, expiresAt },
});
const confirmed: ReservationDecision = { type: 'ReservationConfirmed', data: ids };
const cancelled: ReservationDecision = {
  type: 'ReservationCancelled',
  data: { ...ids, cancelledBy: 'anna', reason: 'The customer left.' },
};
const expired: ReservationDecision = { type: 'ReservationExpired', data: { ...ids, expiredAt: in15 } };
const released: ReservationDecision = { type: 'ReservationReleased', data: ids };
const refused: ReservationDecision = {
  type: 'ReservationRefused',
  data: {
    ...ids,
    lines: [{ level: 'Regular', quantity: 2 }],
    code: 'not_enough_seats',
    message: 'Sold out.',
  },
};

describe('holding seats', () => {
  it('holds the seats asked for, for 15 minutes by default', () => {
    given([]).when(reserve()).then([placed()]);
  });

  it("holds them as long as the concert's hold time says", () => {
    given([])
      .when(reserve({ holdMinutes: 30 }))
      .then([placed(undefined, '2026-11-21T18:30:00.000Z')]);
  });

  it('holds several levels at once, up to exactly the seats left', () => {
    const lines = [
      { level: 'Regular', quantity: 10 },
      { level: 'Golden Circle', quantity: 2 },
    ];
    given([])
      .when(reserve({ lines }))
      .then([placed(lines)]);
  });

  it('is done for a signed-in seller only', () => {
    given([])
      .when(reserve({ staff: { userId: '', role: 'desk' } }))
      .thenThrows('not_signed_in');
    // Only the roles the rule set lets sell (users/permissions): the desk, not the people who run the system.
    for (const role of ['scanner', 'manager', 'admin', 'organizer'] as const)
      given([])
        .when(reserve({ staff: { userId: 'piotr', role } }))
        .thenThrows('not_allowed');
  });

  it('never holds beyond the seats left', () => {
    const error = given([])
      .when(reserve({ lines: [{ level: 'Golden Circle', quantity: 3 }] }))
      .thenThrows('not_enough_seats');
    expect(error.message).toBe('"Golden Circle" has 2 seats left, 3 asked.');
    expect(
      given([])
        .when(reserve({ available: { Regular: 0 } }))
        .thenThrows('not_enough_seats').message,
    ).toBe('"Regular" is sold out.');
  });

  it('refuses a level the concert does not have', () => {
    given([])
      .when(reserve({ lines: [{ level: 'Balcony', quantity: 1 }] }))
      .thenThrows('unknown_level');
  });

  it('refuses a concert that is not on sale', () => {
    given([])
      .when(reserve({ onSale: false }))
      .thenThrows('not_on_sale');
  });

  it('refuses no seats, a quantity below one or a fraction, and a level asked twice', () => {
    given([])
      .when(reserve({ lines: [] }))
      .thenThrows('no_lines');
    for (const quantity of [0, -1, 0.5])
      given([])
        .when(reserve({ lines: [{ level: 'Regular', quantity }] }))
        .thenThrows('invalid_quantity');
    given([])
      .when(
        reserve({
          lines: [
            { level: 'Regular', quantity: 1 },
            { level: 'Regular', quantity: 1 },
          ],
        }),
      )
      .thenThrows('duplicate_level');
  });

  it('refuses a hold time that is not 1 to 1440 whole minutes', () => {
    for (const holdMinutes of [0, -5, 1.5, 1441])
      given([]).when(reserve({ holdMinutes })).thenThrows('invalid_hold');
  });

  it('holds once: the same reservation again is a no-op, whatever became of it', () => {
    for (const past of [[placed()], [placed(), confirmed], [placed(), expired], [refused]])
      given(past).when(reserve()).then([]);
  });

  it('refuses another reservation in the same stream', () => {
    given([placed()])
      .when(reserve({ reservationId: 'order-2:seats:torwar' }))
      .thenThrows('reservation_exists');
  });
});

describe('a refusal the order must hear of', () => {
  it('becomes a ReservationRefused event with the code and the sentence', () => {
    const events = reserveOrRefuse(
      reserve({ lines: [{ level: 'Golden Circle', quantity: 3 }] }),
      initialReservationState(),
    );
    expect(events).toEqual([
      {
        type: 'ReservationRefused',
        data: {
          ...ids,
          lines: [{ level: 'Golden Circle', quantity: 3 }],
          code: 'not_enough_seats',
          message: '"Golden Circle" has 2 seats left, 3 asked.',
        },
      },
    ]);
    expect(fold(evolveReservation, initialReservationState(), events).status).toBe('refused');
  });

  it('holds the seats when it can, and never answers twice', () => {
    expect(reserveOrRefuse(reserve(), initialReservationState())).toEqual([placed()]);
    const state = fold(evolveReservation, initialReservationState(), [refused]);
    expect(reserveOrRefuse(reserve(), state)).toEqual([]);
  });

  it('does not hide a broken stream as a refusal', () => {
    const state = fold(evolveReservation, initialReservationState(), [placed()]);
    expect(() => reserveOrRefuse(reserve({ reservationId: 'other' }), state)).toThrow('holds reservation');
  });
});

describe('confirming a hold (its order is paid)', () => {
  it('keeps the held seats for the order', () => {
    given([placed()]).when(confirm).then([confirmed]);
  });

  it('confirms without looking at the clock: until the authority expires a hold, its seats are taken', () => {
    given([placed(undefined, '2026-11-21T18:01:00.000Z')])
      .when(confirm)
      .then([confirmed]);
    expect(seatsTaken(fold(evolveReservation, initialReservationState(), [placed(), confirmed]))).toEqual([
      { level: 'Regular', quantity: 2 },
    ]);
  });

  it('confirms once', () => {
    given([placed(), confirmed]).when(confirm).then([]);
  });

  it('refuses a hold that has ended or never was', () => {
    given([placed(), expired]).when(confirm).thenThrows('already_expired');
    given([placed(), cancelled]).when(confirm).thenThrows('already_cancelled');
    given([placed(), released]).when(confirm).thenThrows('already_released');
    given([refused]).when(confirm).thenThrows('not_held');
  });
});

describe('cancelling a hold (staff)', () => {
  it('gives the seats back', () => {
    given([placed()]).when(cancel()).then([cancelled]);
  });

  it('is done by a signed-in seller only', () => {
    given([placed()])
      .when(cancel({ userId: ' ', role: 'desk' }))
      .thenThrows('not_signed_in');
    for (const role of ['scanner', 'admin'] as const)
      given([placed()])
        .when(cancel({ userId: 'piotr', role }))
        .thenThrows('not_allowed');
  });

  it('cancels once', () => {
    given([placed(), cancelled]).when(cancel()).then([]);
  });

  it('never cancels an expired hold, a paid one, a released one or a refused one', () => {
    given([placed(), expired]).when(cancel()).thenThrows('already_expired');
    given([placed(), confirmed]).when(cancel()).thenThrows('already_confirmed');
    given([placed(), released]).when(cancel()).thenThrows('already_released');
    given([refused]).when(cancel()).thenThrows('not_held');
  });
});

describe('expiring a hold (the authority)', () => {
  it('expires once its time has come, by the authority clock', () => {
    given([placed()]).when(expire(in15)).then([expired]);
    given([placed()])
      .when(expire('2026-11-21T19:00:00.000Z'))
      .then([{ ...expired, data: { ...expired.data, expiredAt: '2026-11-21T19:00:00.000Z' } }]);
  });

  it('refuses to expire a hold before its time', () => {
    given([placed()]).when(expire('2026-11-21T18:14:59.999Z')).thenThrows('not_expired');
    // Offsets are instants, not text: 19:14+01:00 is 18:14Z, still before.
    given([placed()]).when(expire('2026-11-21T19:14:00.000+01:00')).thenThrows('not_expired');
  });

  it('expires once', () => {
    given([placed(), expired]).when(expire(in15)).then([]);
  });

  it('never expires a cancelled hold, a paid one, a released one or a refused one', () => {
    given([placed(), cancelled]).when(expire(in15)).thenThrows('already_cancelled');
    given([placed(), confirmed]).when(expire(in15)).thenThrows('already_confirmed');
    given([placed(), released]).when(expire(in15)).thenThrows('already_released');
    given([refused]).when(expire(in15)).thenThrows('not_held');
  });
});

describe('releasing a hold (its order was cancelled)', () => {
  it('gives back held seats and seats kept for a paid order', () => {
    given([placed()]).when(release).then([released]);
    given([placed(), confirmed]).when(release).then([released]);
  });

  it('is a no-op when the seats are back already', () => {
    for (const past of [[placed(), released], [placed(), expired], [placed(), cancelled], [refused]])
      given(past).when(release).then([]);
  });
});

describe('a command for another reservation', () => {
  it('is refused', () => {
    given([]).when(confirm).thenThrows('unknown_reservation');
    given([placed()])
      .when({ type: 'ConfirmReservation', data: { reservationId: 'other' } })
      .thenThrows('unknown_reservation');
  });
});

describe('a command, event or state of a kind the reservation does not know', () => {
  it('is a programming error, not silently ignored', () => {
    const state = fold(evolveReservation, initialReservationState(), [placed()]);
    expect(() =>
      decideReservation({ type: 'ExtendReservation', data: { reservationId } } as never, state),
    ).toThrow('Unhandled case');
    expect(() => evolveReservation(state, { type: 'ReservationExtended', data: ids } as never)).toThrow(
      'Unhandled case',
    );
    expect(() => decideReservation(confirm, { ...state, status: 'extended' } as never)).toThrow(
      'Unhandled case',
    );
  });
});

describe('the seats a reservation takes', () => {
  it('counts held and confirmed seats only', () => {
    const after = (events: ReservationDecision[]) =>
      seatsTaken(fold(evolveReservation, initialReservationState(), events));
    expect(after([])).toEqual([]);
    expect(after([placed()])).toEqual([{ level: 'Regular', quantity: 2 }]);
    expect(after([placed(), confirmed])).toEqual([{ level: 'Regular', quantity: 2 }]);
    for (const end of [cancelled, expired, released]) expect(after([placed(), end])).toEqual([]);
    expect(after([refused])).toEqual([]);
  });

  it('ignores an ending that does not apply (a late copy)', () => {
    const state = fold(evolveReservation, initialReservationState(), [
      placed(),
      cancelled,
      expired,
      confirmed,
      released,
    ]);
    expect(state.status).toBe('cancelled');
  });
});

// Any sequence of commands, with copies and in any order: a hold ends at most once, and never beyond the seats left.
const commandArb: fc.Arbitrary<ReservationCommand> = fc.oneof(
  fc
    .record({ quantity: fc.integer({ min: 0, max: 6 }), left: fc.integer({ min: 0, max: 6 }) })
    .map(({ quantity, left }) =>
      reserve({ lines: [{ level: 'Regular', quantity }], available: { Regular: left } }),
    ),
  fc.constant(confirm),
  fc.constant(cancel()),
  fc.constant(release),
  fc
    .integer({ min: 0, max: 30 })
    .map((minutes) => expire(new Date(Date.parse(now) + minutes * 60_000).toISOString())),
);

describe('a reservation, property by property', () => {
  it('ends at most once, and holds no more than was left when it was placed', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 20 }), (commands) => {
        let state: ReservationState = initialReservationState();
        const endings: string[] = [];
        for (const command of commands) {
          let events: ReservationDecision[] = [];
          try {
            events = decideReservation(command, state);
          } catch (error) {
            expect(error).toHaveProperty('code');
          }
          expect(events.length).toBeLessThanOrEqual(1);
          for (const event of events) {
            if (event.type === 'ReservationPlaced' && command.type === 'ReserveSeats')
              expect(event.data.lines[0]!.quantity).toBeLessThanOrEqual(command.data.available.Regular!);
            if (['ReservationCancelled', 'ReservationExpired', 'ReservationReleased'].includes(event.type))
              endings.push(event.type);
          }
          state = fold(evolveReservation, state, events);
        }
        expect(endings.length).toBeLessThanOrEqual(1);
        if (endings.includes('ReservationCancelled') || endings.includes('ReservationExpired'))
          expect(['cancelled', 'expired']).toContain(state.status);
      }),
      { numRuns: 300 },
    );
  });
});
