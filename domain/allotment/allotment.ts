// Allotments (escrow): a desk's block of seats per concert and level, set aside by the authority before the desk goes
// offline, so that the desk can promise a sale inside it at once. Business rules:
// - for every level, at every moment: allocated (sold + held + confirmed, as the concert counts them) + outstanding
//   (granted − sold from blocks − returned − lapsed, over every desk) ≤ capacity. A grant and a pool sale take free
//   seats (capacity − allocated − outstanding); a sale from a block moves seats from outstanding to allocated.
// - a sale the desk claimed on its block is taken from the block while the block covers it: it needs no free seats,
//   so it is never refused. A claim the block no longer covers (it lapsed or was given back before the sale arrived)
//   is sold from the pool if the pool has the seats, and refused only if it has not. A pool sale never takes a block.
// - the authority never takes a block back: a desk gives back what it did not sell, and a block lapses on the
//   authority's clock (the concert's start unless a policy set another time); its unsold rest returns to the pool.
//
// What a desk may promise (deskPromise). The desk knows the book as last replicated (its view) and its own facts not
// yet decided in that view. Only the desk itself sells from, or gives back, its block; grants only add. So while it
// promises a sale only when its view's remaining seats, minus its own undecided claims and numbered returns, cover
// it, the block at the authority covers every promised claim when it is decided. That holds in every schedule except
// those where, between the view and the claim's decision, the authority decides a lapse of the block, or a return of
// `'unsold'` (it returns every seat the authority has not seen sold, claims still on their way included). Those
// claims fall back to the pool. A desk that wants to keep its promises gives back a number (`returnable`).
//
// Time at the desk. A device's wall clock may be wrong by a day, so the desk never compares the lapse time with it.
// It measures the lapse on the authority's time as last heard (the recordedAt of the newest decision it received)
// plus the time elapsed since on a monotonic clock (which a wrong or adjusted wall clock does not move). That
// estimate lags the authority's real clock by the decision's transit time, so the desk stops promising a margin
// earlier. A monotonic clock starts again with the process: a desk restarted offline can't tell how long it was down,
// so until it hears the authority again it promises nothing. A sale made offline before the lapse but decided after
// it is one of the schedules above: it falls back to the pool.
import { assertNever, DomainError } from '../shared/decider';
import type { ConcertState, LevelState } from '../concert/concert';
import type {
  AllocatedSale,
  AllotmentDecision,
  AllotmentDecisionData,
  AllotmentFact,
  AllotmentFactData,
  AllotmentRefusalCode,
  AllotmentSaleRefusalCode,
  SaleSource,
} from './events';

/** One desk's block of one level. Seats only ever add up; unsold = granted − sold − returned − lapsed. */
export type Block = {
  deviceId: string;
  level: string;
  granted: number;
  sold: number;
  returned: number;
  lapsed: number;
  /** When the unsold seats return to the pool, on the authority's clock. */
  lapsesAt: string;
};

/** A concert's blocks, the lapse time a policy set for them, and the ids of the causes decided so far. */
export type AllotmentBook = {
  blocks: ReadonlyMap<string, Block>;
  /** Set by a policy; the concert's start otherwise. */
  lapsesAt?: string;
  /** Grants, policies, returns and lapses decided (sales are in the concert's own decided set). */
  decided: ReadonlySet<string>;
};

export const initialAllotmentBook = (): AllotmentBook => ({ blocks: new Map(), decided: new Set() });

const keyOf = (deviceId: string, level: string): string => JSON.stringify([deviceId, level]);
const unsold = (block: Block): number => block.granted - block.sold - block.returned - block.lapsed;

export const blockOf = (book: AllotmentBook, deviceId: string, level: string): Block | undefined =>
  book.blocks.get(keyOf(deviceId, level));

/** Seats of the desk's block of the level that are neither sold, given back nor lapsed. */
export const remaining = (book: AllotmentBook, deviceId: string, level: string): number => {
  const block = blockOf(book, deviceId, level);
  return block ? unsold(block) : 0;
};

/** Seats of the level set aside for desks and not sold from their blocks yet. */
export function outstanding(book: AllotmentBook, level: string): number {
  let sum = 0;
  for (const block of book.blocks.values()) if (block.level === level) sum += unsold(block);
  return sum;
}

/** Seats of the level nobody holds: what a grant or a pool sale may take. */
export const freeSeats = (book: AllotmentBook, level: Pick<LevelState, 'name' | 'capacity' | 'allocated'>) =>
  level.capacity - level.allocated - outstanding(book, level.name);

/** The cause of a block's lapse: one per block and grant total, so each lapse is decided once. */
export const lapseCauseId = (deviceId: string, level: string, granted: number): string =>
  `allotment-lapse:${encodeURIComponent(deviceId)}:${encodeURIComponent(level)}:${granted}`;

export class AllotmentRuleBroken extends DomainError<AllotmentRefusalCode> {}

const broken = (code: AllotmentRefusalCode, message: string) => new AllotmentRuleBroken(code, message);

/** What the authority knows when it decides: the concert (levels count sold, held and confirmed) and its clock. */
export type AllotmentContext = { concert: ConcertState; now: string };

/** The id a fact is decided under: the allotment's, the policy's or the return's (each is the fact's id). */
export const allotmentRequestId = (fact: AllotmentFact): string => {
  switch (fact.type) {
    case 'AllotmentGrantRequested':
      return fact.data.allotmentId;
    case 'AllotmentPolicySet':
      return fact.data.policyId;
    case 'AllotmentReturnRequested':
      return fact.data.returnId;
    default:
      return assertNever(fact);
  }
};

/** The one decision for an organizer's or a desk's fact, or undefined when it was decided before. */
export function decideAllotment(
  fact: AllotmentFact,
  book: AllotmentBook,
  { concert, now }: AllotmentContext,
): AllotmentDecision | undefined {
  const requestId = allotmentRequestId(fact);
  if (book.decided.has(requestId)) return undefined;
  try {
    switch (fact.type) {
      case 'AllotmentGrantRequested':
        return grant(fact.data, book, concert, now);
      case 'AllotmentPolicySet':
        return applyPolicy(fact.data, book, concert, now);
      case 'AllotmentReturnRequested':
        return giveBack(fact.data, book);
      default:
        return assertNever(fact);
    }
  } catch (error) {
    if (!(error instanceof AllotmentRuleBroken)) throw error;
    const { concertId } = fact.data;
    const data = { requestId, requestType: fact.type, concertId, code: error.code, message: error.message };
    return { type: 'AllotmentRefused', data };
  }
}

type OnSale = Exclude<ConcertState, { status: 'none' }>;

/** The concert, on sale and before its allotments lapse; the lapse time that a grant made now carries. */
function onSale(
  concert: ConcertState,
  concertId: string,
  lapsesAt: string | undefined,
  now: string,
): { concert: OnSale; lapsesAt: string } {
  if (concert.status === 'none' || concert.concertId !== concertId)
    throw broken('unknown_concert', 'This concert is not known to the box office.');
  if (concert.status === 'cancelled')
    throw broken('concert_cancelled', 'The concert is cancelled: no seats are set aside for desks.');
  if (concert.status !== 'published')
    throw broken('not_published', 'The concert is not on sale yet: publish it before giving desks seats.');
  const lapse = lapsesAt ?? concert.details.startsAt;
  if (Date.parse(lapse) <= Date.parse(now))
    throw broken(
      'lapsed',
      `Allotments for this concert lapse at ${lapse}, which has passed: set a later lapse time in the policy to give desks seats.`,
    );
  return { concert, lapsesAt: lapse };
}

function levelOf(concert: OnSale, name: string): LevelState {
  const level = concert.levels.find((l) => l.name === name);
  if (!level)
    throw broken(
      'unknown_level',
      `The concert has no level "${name}": use one of ${concert.levels.map((l) => `"${l.name}"`).join(', ')}.`,
    );
  return level;
}

/** Why the level has (or, before a policy's grants, had) the free seats it has, in words. */
function freeInWords(book: AllotmentBook, level: LevelState, verb = 'has'): string {
  const free = Math.max(0, freeSeats(book, level));
  return `"${level.name}" ${verb} ${free} free ${free === 1 ? 'seat' : 'seats'} (capacity ${level.capacity}, ${level.allocated} sold or held, ${outstanding(book, level.name)} set aside for desks)`;
}

function grant(
  data: AllotmentFactData<'AllotmentGrantRequested'>,
  book: AllotmentBook,
  state: ConcertState,
  now: string,
): AllotmentDecision {
  const { concert, lapsesAt } = onSale(state, data.concertId, book.lapsesAt, now);
  const level = levelOf(concert, data.level);
  const free = freeSeats(book, level);
  if (data.quantity > free)
    throw broken(
      'not_enough_free_seats',
      `${freeInWords(book, level)}: ${data.quantity} can't be set aside for ${data.deviceId}. Ask for ${Math.max(0, free)} or fewer.`,
    );
  const { allotmentId, concertId, deviceId, quantity } = data;
  return {
    type: 'AllotmentGranted',
    data: { allotmentId, concertId, deviceId, level: level.name, quantity, lapsesAt },
  };
}

/** Tops every listed desk up to the policy's seats per level, in the policy's order, as far as free seats go. */
function applyPolicy(
  data: AllotmentFactData<'AllotmentPolicySet'>,
  book: AllotmentBook,
  state: ConcertState,
  now: string,
): AllotmentDecision {
  const { concert, lapsesAt } = onSale(state, data.concertId, data.lapsesAt ?? book.lapsesAt, now);
  const wanted = Object.entries(data.perLevel).map(([name, seats]) => ({
    level: levelOf(concert, name),
    seats,
  }));
  const grants: AllotmentDecisionData<'AllotmentPolicyApplied'>['grants'] = [];
  const short: string[] = [];
  for (const { level, seats } of wanted) {
    let free = Math.max(0, freeSeats(book, level));
    const before = freeInWords(book, level, 'had');
    const missed: string[] = [];
    for (const deviceId of new Set(data.deviceIds)) {
      const asked = seats - remaining(book, deviceId, level.name);
      if (asked <= 0) continue;
      const quantity = Math.min(asked, free);
      free -= quantity;
      grants.push({ deviceId, level: level.name, asked, quantity });
      if (quantity < asked) missed.push(`${deviceId} got ${quantity} of ${asked}`);
    }
    if (missed.length > 0) short.push(`${before}: ${missed.join(', ')}.`);
  }
  const message =
    short.length > 0
      ? `${short.join(' ')} Free seats in those levels, or lower the policy, to top the desks up.`
      : grants.length > 0
        ? 'Every desk holds the seats the policy asks for.'
        : 'Every desk held the seats the policy asks for already: nothing was granted.';
  return {
    type: 'AllotmentPolicyApplied',
    data: {
      policyId: data.policyId,
      concertId: data.concertId,
      lapsesAt,
      ...(data.lapsesAt ? { concertLapsesAt: data.lapsesAt } : {}),
      grants,
      message,
    },
  };
}

/** Gives back what the desk asks, as far as its block has unsold seats; `'unsold'` gives back all of them. */
function giveBack(
  data: AllotmentFactData<'AllotmentReturnRequested'>,
  book: AllotmentBook,
): AllotmentDecision {
  const { returnId, concertId, deviceId, level } = data;
  const unsoldSeats = remaining(book, deviceId, level);
  if (unsoldSeats === 0) {
    const block = blockOf(book, deviceId, level);
    const why = !block
      ? `${deviceId} holds no "${level}" seats`
      : block.lapsed > 0
        ? `${deviceId}'s "${level}" seats lapsed at ${block.lapsesAt}`
        : `${deviceId} has sold or given back all its "${level}" seats`;
    throw broken('nothing_to_return', `${why}: there is nothing to give back.`);
  }
  const quantity = data.quantity === 'unsold' ? unsoldSeats : Math.min(data.quantity, unsoldSeats);
  return { type: 'AllotmentReturned', data: { returnId, concertId, deviceId, level, quantity } };
}

/** Blocks whose lapse time has come on the authority's clock and that still hold unsold seats. */
export function lapsesDue(book: AllotmentBook, now: string): { deviceId: string; level: string }[] {
  const at = Date.parse(now);
  const due: { deviceId: string; level: string }[] = [];
  for (const block of book.blocks.values())
    if (unsold(block) > 0 && Date.parse(block.lapsesAt) <= at)
      if (!book.decided.has(lapseCauseId(block.deviceId, block.level, block.granted)))
        due.push({ deviceId: block.deviceId, level: block.level });
  return due;
}

/** The lapse of a block whose time has come, with its cause id; undefined when it is not due or decided. */
export function decideLapse(
  book: AllotmentBook,
  concertId: string,
  { deviceId, level }: { deviceId: string; level: string },
  now: string,
): { causeId: string; decision: AllotmentDecision } | undefined {
  const block = blockOf(book, deviceId, level);
  if (!block) return undefined;
  const causeId = lapseCauseId(deviceId, level, block.granted);
  const quantity = unsold(block);
  if (book.decided.has(causeId) || quantity === 0 || Date.parse(block.lapsesAt) > Date.parse(now))
    return undefined;
  return {
    causeId,
    decision: { type: 'AllotmentLapsed', data: { concertId, deviceId, level, quantity, lapsedAt: now } },
  };
}

/** A sale as the allotment sees it: which desk, how many of which level, and what the desk claimed. */
export type SaleClaim = { deviceId: string; level: string; quantity: number; claim: SaleSource };

export type SaleAllocation = { from: SaleSource } | { refused: AllotmentSaleRefusalCode; message: string };

/**
 * Where a sale's seats come from. `free` is the level's free seats (`freeSeats`): a claim its block covers needs
 * none; any other sale needs them. A pool sale never takes the desk's block (the desk promised it to other sales).
 */
export function allocateSale(book: AllotmentBook, sale: SaleClaim, free: number): SaleAllocation {
  const { deviceId, level, quantity, claim } = sale;
  const left = remaining(book, deviceId, level);
  if (claim === 'allotment' && left >= quantity) return { from: 'allotment' };
  if (quantity <= free) return { from: 'pool' };
  const pool =
    free <= 0 ? `"${level}" has no free seats` : `"${level}" has only ${free} free for the ${quantity} sold`;
  if (claim === 'pool')
    return { refused: 'sold_out', message: `${pool}: refund the buyer or offer another level.` };
  const block = blockOf(book, deviceId, level);
  if (block && block.lapsed > 0)
    return {
      refused: 'allotment_lapsed',
      message: `This desk's "${level}" seats lapsed at ${block.lapsesAt}, before the sale reached the box office, and ${pool}: refund the buyer or offer another level.`,
    };
  const had = !block
    ? `This desk holds no "${level}" seats`
    : `This desk's "${level}" seats cover ${left} of the ${quantity} sold (the rest were sold or given back)`;
  return {
    refused: 'allotment_exhausted',
    message: `${had}, and ${pool}: refund the buyer or offer another level.`,
  };
}

const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/** The book with one block changed (created empty when the desk had none of the level). */
function withBlock(
  book: AllotmentBook,
  deviceId: string,
  level: string,
  change: (block: Block) => Block,
  lapsesAt = '',
): AllotmentBook {
  const key = keyOf(deviceId, level);
  const before = book.blocks.get(key) ?? {
    deviceId,
    level,
    granted: 0,
    sold: 0,
    returned: 0,
    lapsed: 0,
    lapsesAt,
  };
  const blocks = new Map(book.blocks);
  blocks.set(key, change(before));
  return { ...book, blocks };
}

/** Adds a grant; a block with unsold seats keeps the later of its lapse times (a promise is never shortened). */
const granted = (book: AllotmentBook, deviceId: string, level: string, quantity: number, lapsesAt: string) =>
  withBlock(
    book,
    deviceId,
    level,
    (b) => ({
      ...b,
      granted: b.granted + quantity,
      lapsesAt: unsold(b) > 0 ? later(b.lapsesAt, lapsesAt) : lapsesAt,
    }),
    lapsesAt,
  );

const decided = (book: AllotmentBook, causeId: string): AllotmentBook => ({
  ...book,
  decided: new Set(book.decided).add(causeId),
});

export function evolveAllotment(
  book: AllotmentBook,
  event: AllotmentDecision | AllocatedSale,
): AllotmentBook {
  switch (event.type) {
    case 'AllotmentGranted': {
      const { allotmentId, deviceId, level, quantity, lapsesAt } = event.data;
      return decided(granted(book, deviceId, level, quantity, lapsesAt), allotmentId);
    }
    case 'AllotmentPolicyApplied': {
      const { policyId, grants, lapsesAt, concertLapsesAt } = event.data;
      let next = concertLapsesAt ? { ...book, lapsesAt: concertLapsesAt } : book;
      for (const g of grants)
        if (g.quantity > 0) next = granted(next, g.deviceId, g.level, g.quantity, lapsesAt);
      return decided(next, policyId);
    }
    case 'AllotmentRefused':
      return decided(book, event.data.requestId);
    case 'AllotmentReturned': {
      const { returnId, deviceId, level, quantity } = event.data;
      return decided(
        withBlock(book, deviceId, level, (b) => ({ ...b, returned: b.returned + quantity })),
        returnId,
      );
    }
    case 'AllotmentLapsed': {
      const { deviceId, level, quantity } = event.data;
      const causeId = lapseCauseId(deviceId, level, blockOf(book, deviceId, level)?.granted ?? 0);
      return decided(
        withBlock(book, deviceId, level, (b) => ({ ...b, lapsed: b.lapsed + quantity })),
        causeId,
      );
    }
    case 'SeatsAllocated': {
      const { deviceId, level, quantity, from } = event.data;
      if (from === 'pool') return book;
      return withBlock(book, deviceId, level, (b) => ({ ...b, sold: b.sold + quantity }));
    }
    default:
      return assertNever(event);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The desk's side: what it may promise a buyer before the authority has heard of the sale.

/** How much earlier than the lapse the desk stops promising: the lag of its estimate of the authority's clock. */
export const guaranteeMarginMs = 5 * 60_000;

/**
 * Milliseconds the desk may still promise sales from a block that lapses at `lapsesAt`; ≤ 0 once it may not.
 * Measured on the authority's time as last heard plus a monotonic clock's elapsed time, never on the wall clock.
 */
export const guaranteeLeftMs = (
  lapsesAt: string,
  lastAuthorityTime: string,
  monotonicElapsedMs: number,
): number => Date.parse(lapsesAt) - Date.parse(lastAuthorityTime) - monotonicElapsedMs - guaranteeMarginMs;

/** What the desk knows besides its view of the book: its own undecided facts, and the authority's time. */
export type DeskKnowledge = {
  /** Seats of the level this desk claimed on its block, or asked back by number, not decided in its view yet. */
  pendingSeats: number;
  /** The desk asked back all its unsold seats of the level and its view has not seen it decided. */
  returningUnsold: boolean;
  /** The recordedAt of the newest decision the desk received (the authority's clock). */
  lastAuthorityTime: string;
  /** Time elapsed since that decision arrived, on a monotonic clock. */
  monotonicElapsedMs: number;
};

export type DeskPromise = 'guaranteed' | 'pending';

/** Whether the desk may tell the buyer the sale is guaranteed (claim 'allotment') or pending (claim 'pool'). */
export function deskPromise(
  view: AllotmentBook,
  sale: { deviceId: string; level: string; quantity: number },
  desk: DeskKnowledge,
): DeskPromise {
  const block = blockOf(view, sale.deviceId, sale.level);
  if (!block || desk.returningUnsold) return 'pending';
  if (guaranteeLeftMs(block.lapsesAt, desk.lastAuthorityTime, desk.monotonicElapsedMs) <= 0) return 'pending';
  return unsold(block) - desk.pendingSeats >= sale.quantity ? 'guaranteed' : 'pending';
}

/** Seats the desk can give back without breaking a promise it made: what its view holds unsold, minus its pending. */
export const returnable = (
  view: AllotmentBook,
  deviceId: string,
  level: string,
  pendingSeats: number,
): number => Math.max(0, remaining(view, deviceId, level) - pendingSeats);
