// The Concert aggregate: lifecycle and ticket levels. Business rules (from the seeds, made strict):
// - a concert has an artist, a venue and at least one level; levels have unique names, capacity > 0, price ≥ 0;
// - capacity is never reduced below the seats already allocated, and a level with sales is never removed;
// - a cancelled concert never changes again; publishing twice or unpublishing a draft is refused.
import type { z } from 'zod';
import { assertNever, DomainError } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import type {
  ConcertDecision,
  ConcertDetails,
  ConcertRejectionCode,
  concertFactSchemas,
  TicketLevel,
} from './events';

type Data<K extends keyof typeof concertFactSchemas> = z.infer<(typeof concertFactSchemas)[K]>;

export type ConcertCommand =
  | { type: 'CreateConcert'; data: Data<'ConcertCreationRequested'> }
  | { type: 'UpdateConcertDetails'; data: Data<'ConcertDetailsChangeRequested'> }
  | { type: 'UpdateTicketLevels'; data: Data<'TicketLevelsChangeRequested'> }
  | { type: 'PublishConcert'; data: Data<'ConcertPublicationRequested'> }
  | { type: 'UnpublishConcert'; data: Data<'ConcertUnpublicationRequested'> }
  | { type: 'CancelConcert'; data: Data<'ConcertCancellationRequested'> };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const concertCommandTypes = [
  'CreateConcert',
  'UpdateConcertDetails',
  'UpdateTicketLevels',
  'PublishConcert',
  'UnpublishConcert',
  'CancelConcert',
] as const satisfies readonly ConcertCommand['type'][];
export const concertCommandTypesComplete: ListsAll<ConcertCommand['type'], typeof concertCommandTypes> = true;

export type LevelState = TicketLevel & { allocated: number };

export type ConcertState =
  | { status: 'none' }
  | {
      status: 'draft' | 'published' | 'cancelled';
      concertId: string;
      details: ConcertDetails;
      currency: string;
      levels: LevelState[];
    };

export type ExistingConcert = Exclude<ConcertState, { status: 'none' }>;

export const initialConcertState = (): ConcertState => ({ status: 'none' });

export class ConcertRuleBroken extends DomainError<ConcertRejectionCode> {}

const broken = (code: ConcertRejectionCode, message: string) => new ConcertRuleBroken(code, message);

export function decideConcert(command: ConcertCommand, state: ConcertState): ConcertDecision[] {
  if (command.type === 'CreateConcert') {
    if (state.status !== 'none')
      throw broken('concert_exists', `A concert with id ${command.data.concertId} exists already.`);
    checkDetails(command.data);
    checkLevels(command.data.levels, []);
    return [{ type: 'ConcertCreated', data: command.data }];
  }
  const concert = existing(state, command.data.concertId);
  switch (command.type) {
    case 'UpdateConcertDetails':
      checkDetails(command.data);
      return [{ type: 'ConcertDetailsUpdated', data: command.data }];
    case 'UpdateTicketLevels':
      checkLevels(command.data.levels, concert.levels);
      return [{ type: 'TicketLevelsUpdated', data: command.data }];
    case 'PublishConcert':
      if (concert.status === 'published')
        throw broken('already_published', 'This concert is published already.');
      return [{ type: 'ConcertPublished', data: command.data }];
    case 'UnpublishConcert':
      if (concert.status !== 'published')
        throw broken('not_published', 'Only a published concert can be unpublished.');
      return [{ type: 'ConcertUnpublished', data: command.data }];
    case 'CancelConcert':
      return [{ type: 'ConcertCancelled', data: command.data }];
    default:
      return assertNever(command);
  }
}

/** Every command but creation needs this concert (not another one) to exist and not be cancelled. */
function existing(
  state: ConcertState,
  concertId: string,
): ExistingConcert & { status: 'draft' | 'published' } {
  if (state.status === 'none' || state.concertId !== concertId)
    throw broken('unknown_concert', 'There is no such concert.');
  if (state.status === 'cancelled')
    throw broken('concert_cancelled', 'This concert is cancelled: nothing about it can change.');
  return state as ExistingConcert & { status: 'draft' | 'published' };
}

function checkDetails(details: Pick<ConcertDetails, 'artist' | 'venue'>): void {
  if (!details.artist.trim()) throw broken('missing_artist', 'Give the concert an artist.');
  if (!details.venue.trim()) throw broken('missing_venue', 'Give the concert a venue.');
}

function checkLevels(levels: readonly TicketLevel[], current: readonly LevelState[]): void {
  if (levels.length === 0) throw broken('no_levels', 'Add at least one ticket level.');
  const seen = new Set<string>();
  for (const level of levels) {
    const name = level.name.trim();
    if (!name) throw broken('invalid_level', 'Every ticket level needs a name.');
    if (seen.has(name.toLowerCase()))
      throw broken('duplicate_level', `There are two levels named "${name}".`);
    seen.add(name.toLowerCase());
    if (level.capacity <= 0) throw broken('invalid_level', `Level "${name}" needs a capacity above zero.`);
    if (level.price < 0) throw broken('invalid_level', `Level "${name}" can't have a negative price.`);
  }
  for (const level of current) {
    if (level.allocated === 0) continue;
    const next = levels.find((l) => l.name.trim() === level.name);
    if (!next)
      throw broken(
        'level_has_sales',
        `Level "${level.name}" has ${level.allocated} seats sold: it can't be removed.`,
      );
    if (next.capacity < level.allocated)
      throw broken(
        'capacity_below_allocated',
        `Level "${level.name}" has ${level.allocated} seats sold: its capacity can't go below that.`,
      );
  }
}

export function evolveConcert(state: ConcertState, event: ConcertDecision): ConcertState {
  switch (event.type) {
    case 'ConcertCreated': {
      const { concertId, currency, levels, ...details } = event.data;
      return {
        status: 'draft',
        concertId,
        currency,
        details,
        levels: levels.map((l) => ({ ...l, name: l.name.trim(), allocated: 0 })),
      };
    }
    case 'ConcertDetailsUpdated': {
      if (state.status === 'none') return state;
      const { concertId: _id, ...details } = event.data;
      return { ...state, details };
    }
    case 'TicketLevelsUpdated': {
      if (state.status === 'none') return state;
      const allocated = new Map(state.levels.map((l) => [l.name, l.allocated]));
      const levels = event.data.levels.map((l) => ({
        ...l,
        name: l.name.trim(),
        allocated: allocated.get(l.name.trim()) ?? 0,
      }));
      return { ...state, levels };
    }
    case 'ConcertPublished':
      return state.status === 'none' ? state : { ...state, status: 'published' };
    case 'ConcertUnpublished':
      return state.status === 'none' ? state : { ...state, status: 'draft' };
    case 'ConcertCancelled':
      return state.status === 'none' ? state : { ...state, status: 'cancelled' };
    case 'ConcertChangeRejected':
      return state;
    default:
      return assertNever(event);
  }
}
