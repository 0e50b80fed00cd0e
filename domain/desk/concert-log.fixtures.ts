// A concert's log for the desk's projections' specs: device facts, and the decisions the real concert authority
// makes about them, chained as it writes them. A spec hands `docs` (in any order) to the projection it checks.
import {
  concertStream,
  decideBlockLapse,
  decideExpiry,
  decideFact,
  decideRequest,
  decisionDoc,
  evolveAuthority,
  initialAuthorityState,
} from '../authority/concert-authority';
import type { ConcertAuthorityState, StreamDecisionType } from '../authority/concert-authority';
import type {
  AnyEventDoc,
  ConcertFactType,
  DataOf,
  DecisionDoc,
  FactDoc,
  RequestDoc,
  RequestType,
} from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { requestId, voidRequestId } from '../events/order-flow';
import type { ReservedLine } from '../reservation/events';

export const price = 10_000;
let counter = 1;
/** A fresh ULID-shaped id, in creation order. */
export const nextId = (): string => `01K${String(counter++).padStart(23, '0')}`;

export type FactOptions = { deviceId?: string; userId?: string; recordedAt?: string };

export class ConcertLogBuilder {
  state: ConcertAuthorityState = initialAuthorityState();
  /** Every fact and decision written, in order. */
  docs: AnyEventDoc[] = [];
  /** The authority's clock for the next decisions. */
  now: string;

  constructor(
    readonly concertId: string,
    levels: { name: string; capacity: number }[],
    readonly startsAt = '2027-05-01T19:00:00.000Z',
    now = '2027-04-30T12:00:00.000Z',
  ) {
    this.now = now;
    this.decide(
      this.fact('ConcertCreationRequested', () => ({
        concertId,
        artist: 'Brodka',
        title: 'Wiosna',
        city: 'Warsaw',
        venue: 'Arena',
        startsAt,
        timezone: 'Europe/Warsaw',
        currency: 'PLN',
        levels: levels.map((l) => ({ ...l, price })),
      })),
    );
  }

  publish(): this {
    this.decide(this.fact('ConcertPublicationRequested', () => ({ concertId: this.concertId })));
    return this;
  }

  /** A device's fact, held but not decided yet. */
  fact<T extends ConcertFactType>(
    type: T,
    data: (id: string) => DataOf<T>,
    options: FactOptions = {},
  ): FactDoc<T> {
    const id = nextId();
    const deviceId = options.deviceId ?? 'office';
    const meta = {
      deviceId,
      userId: options.userId ?? `${deviceId}-user`,
      recordedAt: options.recordedAt ?? this.now,
      correlationId: id,
      causationId: id,
    };
    const doc = {
      _id: id,
      type,
      v: 1,
      stream: concertStream(this.concertId),
      data: data(id),
      meta,
    } as FactDoc<T>;
    this.docs.push(doc as FactDoc);
    return doc;
  }

  /** The authority decides a fact it received, on its clock, and appends the decision to the stream. */
  decide(fact: FactDoc<ConcertFactType>): DecisionDoc<StreamDecisionType> {
    const decision = decideFact(fact, this.state, this.now);
    if (!decision) throw new Error(`${fact.type} was decided before`);
    return this.append(decision, fact);
  }

  /** The block's lapse, decided on the authority's clock when its time has come. */
  lapse(deviceId: string, level: string): DecisionDoc<StreamDecisionType> {
    const lapse = decideBlockLapse({ deviceId, level }, this.state, this.now);
    if (!lapse) throw new Error(`the block of ${deviceId} / ${level} is not due`);
    return this.append(lapse.decision, lapse.cause);
  }

  /** The orders authority asks to hold seats for an order; the concert decides it on its clock (15-minute holds). */
  hold(orderId: string, lines: ReservedLine[], userId = 'desk-user'): DecisionDoc<StreamDecisionType> {
    const reservationId = `${orderId}:${this.concertId}`;
    const id = requestId(reservationId, 'reserve');
    const request: RequestDoc<'SeatsReservationRequested'> = {
      _id: id,
      type: 'SeatsReservationRequested',
      v: 1,
      stream: concertStream(this.concertId),
      data: { reservationId, orderId, concertId: this.concertId, lines, staff: { userId, role: 'desk' } },
      meta: {
        deviceId: 'authority',
        userId: 'authority',
        recordedAt: this.now,
        correlationId: orderId,
        causationId: id,
      },
    };
    this.docs.push(request);
    const decision = decideRequest(request, this.state, { now: this.now, holdMinutes: 15 });
    if (!decision) throw new Error(`${id} was decided before`);
    return this.append(decision, request);
  }

  /** A request of the orders authority, written into the concert's database (not decided yet). */
  request<T extends RequestType>(type: T, id: string, data: DataOf<T>, correlationId = id): RequestDoc<T> {
    const meta = {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: this.now,
      correlationId,
      causationId: id,
    };
    const doc = { _id: id, type, v: 1, stream: concertStream(this.concertId), data, meta } as RequestDoc<T>;
    this.docs.push(doc as RequestDoc);
    return doc;
  }

  /** The concert answers a request on its clock, and appends the answer to the stream. */
  answer(request: RequestDoc): DecisionDoc<StreamDecisionType> {
    const decision = decideRequest(request, this.state, { now: this.now, holdMinutes: 15 });
    if (!decision) throw new Error(`${request._id} was decided before`);
    return this.append(decision, request);
  }

  /** An order's seats held, confirmed and ticketed, as the orders authority asks for them: the tickets' ids. */
  ticketed(orderId: string, lines: ReservedLine[]): string[] {
    const { concertId } = this;
    this.hold(orderId, lines);
    const reservationId = `${orderId}:${concertId}`;
    const seats = { reservationId, orderId, concertId };
    this.answer(
      this.request('ReservationConfirmationRequested', requestId(reservationId, 'confirm'), seats, orderId),
    );
    const cartLines = lines.map((l) => ({ concertId, ...l, unitPrice: price, currency: 'PLN' }));
    const data = { ...seats, customerId: `customer-${orderId}`, lines: cartLines };
    const issued = this.answer(
      this.request('TicketsIssueRequested', requestId(reservationId, 'tickets'), data, orderId),
    );
    if (issued.type !== 'TicketsIssued') throw new Error(`no tickets for ${orderId}: ${issued.type}`);
    return issued.data.tickets.map((t) => t.ticketId);
  }

  /** The orders authority asks the concert to void a refund's tickets (not decided yet). */
  voidRequest(refundId: string, orderId: string, ticketIds: string[]): RequestDoc<'TicketsVoidRequested'> {
    const data = {
      refundId,
      orderId,
      concertId: this.concertId,
      ticketIds,
      reason: 'The customer cannot come.',
    };
    return this.request('TicketsVoidRequested', voidRequestId(refundId, this.concertId), data, orderId);
  }

  /** A hold's expiry, decided on the authority's clock once its time has come. */
  expire(reservationId: string): DecisionDoc<StreamDecisionType> {
    const expiry = decideExpiry(reservationId, this.state, this.now);
    if (!expiry) throw new Error(`the hold ${reservationId} is not due`);
    return this.append(expiry.decision, expiry.cause);
  }

  grant(deviceId: string, level: string, quantity: number, options?: FactOptions) {
    const { concertId } = this;
    return this.fact(
      'AllotmentGrantRequested',
      (allotmentId) => ({ allotmentId, concertId, deviceId, level, quantity }),
      options,
    );
  }

  policy(perLevel: Record<string, number>, deviceIds: string[], lapsesAt?: string, options?: FactOptions) {
    const { concertId } = this;
    return this.fact(
      'AllotmentPolicySet',
      (policyId) => ({ policyId, concertId, perLevel, deviceIds, ...(lapsesAt ? { lapsesAt } : {}) }),
      options,
    );
  }

  giveBack(deviceId: string, level: string, quantity: number | 'unsold') {
    const { concertId } = this;
    return this.fact(
      'AllotmentReturnRequested',
      (returnId) => ({ returnId, concertId, deviceId, level, quantity }),
      { deviceId },
    );
  }

  sale(
    deviceId: string,
    level: string,
    quantity: number,
    claim: 'allotment' | 'pool',
    options: FactOptions = {},
  ) {
    return this.fact(
      'SaleRecorded',
      (saleId) => ({
        saleId,
        concertId: this.concertId,
        level,
        quantity,
        unitPrice: price,
        total: price * quantity,
        currency: 'PLN',
        payment: { method: 'cash' as const, tendered: price * quantity, change: 0 },
        claim,
      }),
      { ...options, deviceId },
    );
  }

  settle(saleId: string, deviceId: string, kind: 'cash_refund' | 'exchange', exchangeSaleId?: string) {
    return this.fact(
      'SaleSettlementRecorded',
      (settlementId) => ({
        settlementId,
        saleId,
        concertId: this.concertId,
        kind,
        amount: kind === 'cash_refund' ? price : 0,
        currency: 'PLN',
        ...(exchangeSaleId ? { exchangeSaleId } : {}),
      }),
      { deviceId },
    );
  }

  private append(
    decision: Parameters<typeof decisionDoc>[2],
    cause: Parameters<typeof decisionDoc>[3],
  ): DecisionDoc<StreamDecisionType> {
    const context = { decisionId: `D-${nextId()}`, authorityId: 'test', now: this.now };
    const doc = decisionDoc(this.concertId, this.state.head, decision, cause, context);
    this.state = evolveAuthority(this.state, doc);
    this.docs.push(doc);
    return doc;
  }
}

/**
 * What a follower must get right besides the log itself: a squatter two positions after the head, naming a decision
 * nobody made (never accepted), and, at `rivalAt`, a rival of a decision with the same position and predecessor and a
 * lower decision id (it wins the position, and the chain after it is orphaned).
 */
export function orphanAndRival(docs: readonly AnyEventDoc[], rivalAt: number | null): AnyEventDoc[] {
  const decisions = docs.filter(isDecision);
  const last = decisions.at(-1);
  const extra: AnyEventDoc[] = [];
  if (last) {
    const position = last.meta.position + 2;
    const squatter = { ...last, meta: { ...last.meta, position, prev: 'D-nowhere', decisionId: 'D-squat' } };
    extra.push({ ...squatter, _id: last._id.replace(/\d{10}$/, String(position).padStart(10, '0')) });
  }
  const rival = rivalAt === null ? undefined : decisions[rivalAt % decisions.length];
  if (rival) extra.push({ ...rival, meta: { ...rival.meta, decisionId: 'A-rival' } });
  return extra;
}

/** The documents as they arrive: in the order of `keys` (one per document), then `copies` of some of them again. */
export function arrivalOrder(
  docs: readonly AnyEventDoc[],
  keys: readonly number[],
  copies: readonly number[],
): AnyEventDoc[] {
  const shuffled = docs
    .map((doc, i) => ({ doc, key: keys[i] ?? 0 }))
    .sort((a, b) => a.key - b.key)
    .map((d) => d.doc);
  return [...shuffled, ...copies.flatMap((c) => (docs[c] ? [docs[c]] : []))];
}
