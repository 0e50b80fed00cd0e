// A reservation: seats of one concert held for one order. Business rules (from the seeds, made strict):
// - only a signed-in member of staff whose role sells (the rule set in users/permissions) holds or cancels seats;
// - never beyond the seats left per level as the authority knows them, and only for a concert on sale;
// - a hold lasts holdMinutes (15 unless the concert says otherwise) and lapses only once that time has come; until the
//   authority writes ReservationExpired its seats still count as taken, so a late payment may still confirm it;
// - held → confirmed (paid) | cancelled (staff) | expired (time) | released (its order gave it back);
//   cancelled and expired exclude each other, and a confirmed hold no longer lapses nor is cancelled by staff.
// One stream per reservation, decided in its concert's authority (the seats count against that concert's capacity).
// Every command is decided into at most one event; a command already applied is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { may } from '../users/permissions';
import type {
  ReservationDecision,
  ReservationEventData,
  ReservationRejectionCode,
  ReservedLine,
  Staff,
} from './events';

export const defaultHoldMinutes = 15;
const longestHoldMinutes = 24 * 60;

export type ReserveSeats = {
  type: 'ReserveSeats';
  data: {
    reservationId: string;
    orderId: string;
    concertId: string;
    lines: ReservedLine[];
    staff: Staff;
    /** The authority's clock. */
    now: string;
    /** The concert's hold time; 15 minutes when it sets none. */
    holdMinutes?: number;
    /** Whether the concert is on sale (published, not cancelled), as the authority knows it. */
    onSale: boolean;
    /** Seats left per level, as the authority knows them. */
    available: Readonly<Record<string, number>>;
  };
};

export type ReservationCommand =
  | ReserveSeats
  | { type: 'ConfirmReservation'; data: { reservationId: string } }
  | { type: 'CancelReservation'; data: ReservationEventData<'ReservationCancellationRequested'> }
  | { type: 'ExpireReservation'; data: { reservationId: string; now: string } }
  | { type: 'ReleaseReservation'; data: { reservationId: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const reservationCommandTypes = [
  'ReserveSeats',
  'ConfirmReservation',
  'CancelReservation',
  'ExpireReservation',
  'ReleaseReservation',
] as const satisfies readonly ReservationCommand['type'][];
export const reservationCommandTypesComplete: ListsAll<
  ReservationCommand['type'],
  typeof reservationCommandTypes
> = true;

type Held = ReservationEventData<'ReservationPlaced'>;
export type ReservationState =
  | { status: 'none' }
  | ({ status: 'refused' } & ReservationEventData<'ReservationRefused'>)
  | ({ status: 'held' | 'confirmed' | 'cancelled' | 'expired' | 'released' } & Held);

export const initialReservationState = (): ReservationState => ({ status: 'none' });

export class ReservationRuleBroken extends DomainError<ReservationRejectionCode> {}

const broken = (code: ReservationRejectionCode, message: string) => new ReservationRuleBroken(code, message);

export function decideReservation(
  command: ReservationCommand,
  state: ReservationState,
): ReservationDecision[] {
  if (command.type === 'ReserveSeats') return reserve(command.data, state);
  const reservation = existing(state, command.data.reservationId);
  const { reservationId, orderId, concertId } = reservation;
  const ids = { reservationId, orderId, concertId };
  switch (command.type) {
    case 'ConfirmReservation':
      if (reservation.status === 'confirmed') return [];
      refuseUnlessHeld(reservation, 'confirmed');
      return [{ type: 'ReservationConfirmed', data: ids }];
    case 'CancelReservation':
      checkStaff(command.data.staff, 'cancel');
      if (reservation.status === 'cancelled') return [];
      refuseUnlessHeld(reservation, 'cancelled');
      return [
        {
          type: 'ReservationCancelled',
          data: { ...ids, cancelledBy: command.data.staff.userId, reason: command.data.reason },
        },
      ];
    case 'ExpireReservation':
      if (reservation.status === 'expired') return [];
      refuseUnlessHeld(reservation, 'expired');
      if (Date.parse(command.data.now) < Date.parse(reservation.expiresAt))
        throw broken(
          'not_expired',
          `This hold lasts until ${reservation.expiresAt}: it has not expired yet.`,
        );
      return [{ type: 'ReservationExpired', data: { ...ids, expiredAt: command.data.now } }];
    case 'ReleaseReservation':
      // Compensation: giving back seats that are no longer held is already done.
      if (reservation.status !== 'held' && reservation.status !== 'confirmed') return [];
      return [{ type: 'ReservationReleased', data: ids }];
    default:
      return assertNever(command);
  }
}

/**
 * The authority's decision on a ReserveSeats it must answer either way (the order waits for it): a refusal becomes a
 * ReservationRefused event the order can react to, instead of an error.
 */
export function reserveOrRefuse(command: ReserveSeats, state: ReservationState): ReservationDecision[] {
  try {
    return decideReservation(command, state);
  } catch (error) {
    if (!(error instanceof ReservationRuleBroken) || state.status !== 'none') throw error;
    const { reservationId, orderId, concertId, lines } = command.data;
    return [
      {
        type: 'ReservationRefused',
        data: { reservationId, orderId, concertId, lines, code: error.code, message: error.message },
      },
    ];
  }
}

function reserve(data: ReserveSeats['data'], state: ReservationState): ReservationDecision[] {
  if (state.status !== 'none') {
    if (state.reservationId === data.reservationId) return []; // decided before: a replay
    throw broken('reservation_exists', `This stream holds reservation ${state.reservationId} already.`);
  }
  checkStaff(data.staff, 'hold');
  const holdMinutes = data.holdMinutes ?? defaultHoldMinutes;
  if (!Number.isInteger(holdMinutes) || holdMinutes < 1 || holdMinutes > longestHoldMinutes)
    throw broken('invalid_hold', `A hold lasts a whole number of minutes from 1 to ${longestHoldMinutes}.`);
  if (data.lines.length === 0) throw broken('no_lines', 'Ask for at least one seat.');
  if (!data.onSale) throw broken('not_on_sale', 'This concert is not on sale: no seats can be held.');
  const seen = new Set<string>();
  for (const { level, quantity } of data.lines) {
    if (seen.has(level))
      throw broken('duplicate_level', `"${level}" is asked for twice: ask once with the total quantity.`);
    seen.add(level);
    if (!Number.isInteger(quantity) || quantity < 1)
      throw broken('invalid_quantity', `Ask for a whole number of "${level}" seats, at least one.`);
    const left = data.available[level];
    if (left === undefined) throw broken('unknown_level', `The concert has no level "${level}".`);
    if (quantity > left)
      throw broken(
        'not_enough_seats',
        left <= 0 ? `"${level}" is sold out.` : `"${level}" has ${left} seats left, ${quantity} asked.`,
      );
  }
  const { reservationId, orderId, concertId, lines, now } = data;
  const expiresAt = new Date(Date.parse(now) + holdMinutes * 60_000).toISOString();
  return [
    {
      type: 'ReservationPlaced',
      data: { reservationId, orderId, concertId, lines, heldBy: data.staff.userId, placedAt: now, expiresAt },
    },
  ];
}

/** Seats are held for the person who confirmed the cart, and given back by one who may ask for it (users/permissions). */
const permissionFor = { hold: 'ConfirmCart', cancel: 'CancelReservation' } as const;

function checkStaff(staff: Staff, action: 'hold' | 'cancel'): void {
  if (!staff.userId.trim())
    throw broken('not_signed_in', `Sign in to ${action === 'hold' ? 'hold seats' : 'cancel a hold'}.`);
  if (!may(staff.role, permissionFor[action]))
    throw broken(
      'not_allowed',
      `A ${staff.role} account can't ${action === 'hold' ? 'hold seats' : 'cancel a hold'}: ask box-office staff.`,
    );
}

function existing(
  state: ReservationState,
  reservationId: string,
): Exclude<ReservationState, { status: 'none' }> {
  if (state.status === 'none' || state.reservationId !== reservationId)
    throw broken('unknown_reservation', 'There is no such reservation.');
  return state;
}

/** Confirming, cancelling and expiring need seats that are held: each end excludes the others. */
function refuseUnlessHeld(
  reservation: Exclude<ReservationState, { status: 'none' }>,
  wanted: 'confirmed' | 'cancelled' | 'expired',
): asserts reservation is Held & { status: 'held' } {
  switch (reservation.status) {
    case 'held':
      return;
    case 'refused':
      throw broken('not_held', 'This reservation was refused: it holds no seats.');
    case 'confirmed':
      throw broken('already_confirmed', `This hold is paid for: it can't be ${wanted}.`);
    case 'cancelled':
      throw broken('already_cancelled', `This hold was cancelled: it can't be ${wanted}.`);
    case 'expired':
      throw broken('already_expired', `This hold has expired: it can't be ${wanted}. Reserve again.`);
    case 'released':
      throw broken('already_released', `This hold was given back by its order: it can't be ${wanted}.`);
    default:
      return assertNever(reservation);
  }
}

export function evolveReservation(state: ReservationState, event: ReservationDecision): ReservationState {
  switch (event.type) {
    case 'ReservationPlaced':
      return { status: 'held', ...event.data };
    case 'ReservationRefused':
      return { status: 'refused', ...event.data };
    case 'ReservationConfirmed':
      return state.status === 'held' ? { ...state, status: 'confirmed' } : state;
    case 'ReservationCancelled':
      return state.status === 'held' ? { ...state, status: 'cancelled' } : state;
    case 'ReservationExpired':
      return state.status === 'held' ? { ...state, status: 'expired' } : state;
    case 'ReservationReleased':
      return state.status === 'held' || state.status === 'confirmed'
        ? { ...state, status: 'released' }
        : state;
    default:
      return assertNever(event);
  }
}

/** Seats this reservation takes from its concert's capacity right now (held or confirmed), per level. */
export function seatsTaken(state: ReservationState): ReservedLine[] {
  return state.status === 'held' || state.status === 'confirmed' ? state.lines : [];
}

export const reservationDecider: Decider<ReservationCommand, ReservationDecision, ReservationState> = {
  decide: decideReservation,
  evolve: evolveReservation,
  initialState: initialReservationState,
};
