// The reservation's events at the edge: who writes each, and the schemas the authority's decisions pass.
import { describe, expect, it } from 'vitest';
import {
  decideReservation,
  evolveReservation,
  initialReservationState,
  reserveOrRefuse,
} from './reservation';
import type { ReservationCommand, ReservationState, ReserveSeats } from './reservation';
import { reservationEventSchemas, reservationEventWriters, staffSchema } from './events';
import type { ReservationDecision } from './events';

const reserve = (reservationId: string, quantity: number): ReserveSeats => ({
  type: 'ReserveSeats',
  data: {
    reservationId,
    orderId: 'order-1',
    concertId: 'kwiat-jabloni-torwar-2026',
    lines: [{ level: 'Regular', quantity }],
    staff: { userId: 'anna', role: 'desk' },
    now: '2026-11-21T18:00:00.000Z',
    onSale: true,
    available: { Regular: 4 },
  },
});
const staff = { userId: 'anna', role: 'desk' as const };

function decided(reservationId: string, commands: ReservationCommand[]): ReservationDecision[] {
  let state: ReservationState = initialReservationState();
  const events: ReservationDecision[] = [];
  for (const command of commands) {
    const next =
      command.type === 'ReserveSeats' ? reserveOrRefuse(command, state) : decideReservation(command, state);
    for (const event of next) state = evolveReservation(state, event);
    events.push(...next);
  }
  return events;
}

describe("the reservation's events", () => {
  it('are decided by the authority, but for the request a desk writes to cancel a hold', () => {
    expect(Object.keys(reservationEventWriters).sort()).toEqual(Object.keys(reservationEventSchemas).sort());
    const byDevices = Object.entries(reservationEventWriters).filter(([, writer]) => writer === 'device');
    expect(byDevices.map(([type]) => type)).toEqual(['ReservationCancellationRequested']);
  });

  it('pass their schema as the reservation decides them, every decision of them', () => {
    const events = [
      ...decided('r1', [reserve('r1', 2), { type: 'ConfirmReservation', data: { reservationId: 'r1' } }]),
      ...decided('r2', [
        reserve('r2', 2),
        { type: 'CancelReservation', data: { reservationId: 'r2', staff, reason: '' } },
      ]),
      ...decided('r3', [
        reserve('r3', 2),
        { type: 'ExpireReservation', data: { reservationId: 'r3', now: '2026-11-21T19:00:00Z' } },
      ]),
      ...decided('r4', [reserve('r4', 2), { type: 'ReleaseReservation', data: { reservationId: 'r4' } }]),
      ...decided('r5', [reserve('r5', 5)]),
    ];
    const decisions = Object.keys(reservationEventSchemas).filter(
      (t) => t !== 'ReservationCancellationRequested',
    );
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(decisions));
    for (const event of events)
      expect(reservationEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('accept a cancellation request as a desk writes it', () => {
    const request = { reservationId: 'r1', staff, reason: 'The customer left.' };
    expect(reservationEventSchemas.ReservationCancellationRequested.parse(request)).toEqual(request);
  });

  it('refuse a role nobody has and a held quantity below one', () => {
    expect(staffSchema.safeParse({ userId: 'anna', role: 'cashier' }).success).toBe(false);
    const [placed] = decided('r1', [reserve('r1', 2)]);
    const lines = [{ level: 'Regular', quantity: 0 }];
    expect(reservationEventSchemas.ReservationPlaced.safeParse({ ...placed!.data, lines }).success).toBe(
      false,
    );
  });
});
