// The manager's finance desk: the money of the box office as a device holding the whole log knows it (the catalogue,
// every concert's database, stagedoor-orders). Every sale and refund becomes one money line that names the documents
// behind it, and every figure is a sum of lines that keeps their ids: a cell on the screen can list its sales.
// Pure and total like the desk's other views: any set of documents in any order gives the same view.
import { evolveStream, initialStreamState, isStreamDecision } from '../authority/concert-authority';
import type { StreamDecisionType } from '../authority/concert-authority';
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import { isConcertFact, isDecision } from '../events/catalogue';
import type { CreditLine, CurrencyTotal, InvoiceLine, PaymentMethod } from '../finance/events';
import { expectedCash } from '../finance/cash-drawer';
import type { Shift } from '../finance/cash-drawer';
import { emptyChain, followChain } from '../log/stream';
import type { CartLine } from '../cart/events';
import type { ReservedLine } from '../reservation/events';
import { projectDrawer } from './drawer-view';

/** What a money line is: money taken, or money given back. A new kind of refund is a new `source`, not a new kind. */
export type MoneyKind = 'sale' | 'refund';

/** Where a line comes from: a desk's cash sale and its refund (concert streams), an order's payment and refund. */
export type MoneySource = 'desk_sale' | 'sale_refund' | 'order_payment' | 'order_refund' | 'ticket_refund';

export type MoneyLine = {
  /** Unique per line (an order's payment is one line per concert and level it paid for). */
  id: string;
  kind: MoneyKind;
  source: MoneySource;
  concertId: string;
  level: string;
  /** Tickets sold (a sale) or given back (a refund; 0 when a partial refund names no tickets). */
  tickets: number;
  /** Minor units, never negative: the kind says the direction. */
  amount: number;
  currency: string;
  method: PaymentMethod;
  /** The desk (device) that took or handed back the money; `online` for a payment no desk took. */
  deskId: string;
  /** Who was signed in there. */
  staffId: string;
  /** When the money moved: the desk's clock for what a desk did, the authority's for the rest. */
  at: string;
  /** `at` as a date in the concert venue's time zone (YYYY-MM-DD). */
  day: string;
  /** The ids of the documents behind the line: the desk's fact, the authority's decision(s). */
  facts: string[];
};

/** A sum of lines in one currency: amounts of different currencies are never added. */
export type Figure = {
  key: string;
  currency: string;
  sales: number;
  refunds: number;
  /** sales − refunds. */
  net: number;
  /** Tickets sold − tickets given back. */
  tickets: number;
  /** The lines summed, by id (MoneyLine.id). */
  lines: string[];
};

export type Dimension = 'concert' | 'level' | 'day' | 'desk' | 'staff' | 'method';
export const dimensions: readonly Dimension[] = ['concert', 'level', 'day', 'desk', 'staff', 'method'];

export type ConcertInfo = { concertId: string; name: string; timezone: string; currency: string };

export type LevelOccupancy = { level: string; capacity: number; sold: number };

/** Seats of a concert: what it holds, what is sold (net of refunds), and how many tickets came in at the gates. */
export type Occupancy = {
  concertId: string;
  name: string;
  capacity: number;
  sold: number;
  scanned: number;
  levels: LevelOccupancy[];
  /** The decisions counted. */
  facts: string[];
};

/** One shift of a desk's drawer (a Z-report): the drawer's own shift, open (counted and variance null) or closed. */
export type ShiftReport = Shift & {
  deskId: string;
  expected: number;
  counted: number | null;
  variance: number | null;
  closedAt: string | null;
  /** The drawer facts of the shift. */
  facts: string[];
};

export type PaymentRecord = {
  method: PaymentMethod;
  amount: number;
  currency: string;
  reference: string | null;
  paidAt: string;
};

/** An invoice or a credit note, with the number the authority gave it (null until it did). */
export type FinanceDocument = {
  documentId: string;
  kind: 'invoice' | 'credit_note';
  number: string | null;
  issuedAt: string;
  orderId: string;
  /** A credit note's invoice, and that invoice's number. */
  invoiceId: string | null;
  invoiceNumber: string | null;
  buyer: { name: string; taxId: string | null } | null;
  lines: (InvoiceLine | (CreditLine & { quantity: null; unitPrice: null }))[];
  totals: CurrencyTotal[];
  payments: PaymentRecord[];
  reason: string | null;
  facts: string[];
};

export type FinanceFilter = {
  /** Inclusive dates (YYYY-MM-DD) in the venue's time zone; shifts and documents use `timeZone`. */
  from?: string;
  to?: string;
  concertId?: string;
  /** The zone a shift's or document's date is read in (no venue there); UTC unless told. */
  timeZone?: string;
};

export type FinanceView = {
  concerts: ConcertInfo[];
  /** Every line the filter keeps, oldest first. */
  lines: MoneyLine[];
  total: Figure[];
  by: Record<Dimension, Figure[]>;
  /** Refund lines, newest first. */
  refunds: MoneyLine[];
  occupancy: Occupancy[];
  shifts: ShiftReport[];
  /** Z-report over the range: per member of staff and payment method, and per desk and payment method. */
  staffMethod: Figure[];
  deskMethod: Figure[];
  documents: FinanceDocument[];
};

/** The separator of a composite key (staff and method): never in an id. */
export const keySeparator = ' · ';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// A formatter costs far more to make than to use, and every line is dated: one per zone, made once.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      // A zone this runtime does not know: UTC rather than no date.
      format = dayFormat('UTC');
    }
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** An instant as a date in a time zone, YYYY-MM-DD. */
export function dayIn(iso: string, timeZone: string): string {
  const parts = dayFormat(timeZone).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * `amount` split over `weights` in proportion, in whole minor units that add up to it exactly (largest remainder;
 * ties to the first). All weights 0: all to the first.
 */
export function splitAmount(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const shares = weights.map((w) => Math.floor((amount * w) / sum));
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const order = weights
    .map((w, i) => ({ i, remainder: (amount * w) % sum }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}

type Streams = Map<string, DecisionDoc[]>;

/** A stream's decisions as its chain accepts them: an orphan never happened. */
const accepted = (decisions: DecisionDoc[]): DecisionDoc[] =>
  followChain(
    emptyChain(),
    decisions.map((doc) => ({ ...doc.meta, doc })),
  ).accepted.map((link) => link.doc);

export function projectFinance(docs: Iterable<AnyEventDoc>, filter: FinanceFilter = {}): FinanceView {
  const facts = new Map<string, FactDoc>();
  const streams: Streams = new Map();
  const all: AnyEventDoc[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    if (seen.has(doc._id)) continue;
    seen.add(doc._id);
    all.push(doc);
    if (isDecision(doc)) {
      const stream = streams.get(doc.stream);
      if (stream) stream.push(doc);
      else streams.set(doc.stream, [doc]);
    } else if (doc.type in factTypes || isConcertFact(doc)) facts.set(doc._id, doc as FactDoc);
  }

  const concerts = new Map<string, ConcertInfo>();
  const occupancy: Occupancy[] = [];
  const lines: MoneyLine[] = [];
  const orderStreams: DecisionDoc[][] = [];
  const documents = new Documents();
  for (const [stream, decisions] of streams) {
    const chain = accepted(decisions);
    if (stream.startsWith('concert-')) {
      const streamDecisions = chain.filter(isStreamDecision);
      const concert = concertOf(streamDecisions);
      if (concert) concerts.set(concert.info.concertId, concert.info);
      occupancy.push(...(concert ? [occupancyOf(concert, streamDecisions)] : []));
      lines.push(...concertLines(streamDecisions, facts, concert?.info.timezone ?? 'UTC'));
    } else orderStreams.push(chain);
    for (const doc of chain) documents.hear(doc);
  }
  const initiated = new Map<string, FactDoc<'PaymentInitiated'>>();
  const carts = new Map<string, FactDoc<'CartConfirmed'>>();
  for (const fact of [...facts.values()].sort((a, b) => byString(a._id, b._id))) {
    if (fact.type === 'PaymentInitiated') initiated.set(fact.data.paymentId, fact);
    if (fact.type === 'CartConfirmed' && !carts.has(fact.data.orderId)) carts.set(fact.data.orderId, fact);
  }
  for (const chain of orderStreams) lines.push(...orderLines(chain, { facts, initiated, carts }, concerts));

  // A refund of an order's tickets is decided in the order's stream: its seats are sold no more.
  for (const line of lines) {
    if (line.source !== 'ticket_refund') continue;
    const seats = occupancy.find((o) => o.concertId === line.concertId);
    const level = seats?.levels.find((l) => l.level === line.level);
    if (!seats || !level) continue;
    level.sold -= line.tickets;
    seats.sold -= line.tickets;
    seats.facts.push(...line.facts);
  }

  const { from, to, concertId, timeZone = 'UTC' } = filter;
  const inRange = (day: string) => (!from || day >= from) && (!to || day <= to);
  const kept = lines
    .filter((line) => inRange(line.day) && (!concertId || line.concertId === concertId))
    .sort((a, b) => byString(a.at, b.at) || byString(a.id, b.id));
  const nameOf = (id: string) => concerts.get(id)?.name ?? id;
  const keyOf: Record<Dimension, (line: MoneyLine) => string> = {
    concert: (line) => line.concertId,
    level: (line) => `${line.concertId}${keySeparator}${line.level}`,
    day: (line) => line.day,
    desk: (line) => line.deskId,
    staff: (line) => line.staffId,
    method: (line) => line.method,
  };
  const by = Object.fromEntries(dimensions.map((d) => [d, sumBy(kept, keyOf[d])])) as Record<
    Dimension,
    Figure[]
  >;
  // Days read best in order; the rest by name.
  by.concert.sort((a, b) => byString(nameOf(a.key), nameOf(b.key)) || byString(a.currency, b.currency));

  const shifts = shiftReports(all).filter(
    (shift) =>
      inRange(dayIn(shift.openedAt, timeZone)) ||
      (shift.closedAt && inRange(dayIn(shift.closedAt, timeZone))),
  );
  return {
    concerts: [...concerts.values()].sort((a, b) => byString(a.name, b.name)),
    lines: kept,
    total: sumBy(kept, () => 'total'),
    by,
    refunds: kept.filter((line) => line.kind === 'refund').reverse(),
    occupancy: occupancy
      .filter((o) => !concertId || o.concertId === concertId)
      .sort((a, b) => byString(a.name, b.name)),
    shifts,
    staffMethod: sumBy(kept, (line) => `${line.staffId}${keySeparator}${line.method}`),
    deskMethod: sumBy(kept, (line) => `${line.deskId}${keySeparator}${line.method}`),
    documents: documents
      .list()
      .filter(
        (d) =>
          inRange(dayIn(d.issuedAt, timeZone)) &&
          (!concertId || d.lines.some((line) => line.concertId === concertId)),
      ),
  };
}

/** Sums lines per key and currency, in key order. */
export function sumBy(lines: readonly MoneyLine[], keyOf: (line: MoneyLine) => string): Figure[] {
  const figures = new Map<string, Figure>();
  for (const line of lines) {
    const key = keyOf(line);
    const id = `${key}\u0000${line.currency}`;
    const figure = figures.get(id) ?? {
      key,
      currency: line.currency,
      sales: 0,
      refunds: 0,
      net: 0,
      tickets: 0,
      lines: [],
    };
    const sign = line.kind === 'sale' ? 1 : -1;
    if (line.kind === 'sale') figure.sales += line.amount;
    else figure.refunds += line.amount;
    figure.net += sign * line.amount;
    figure.tickets += sign * line.tickets;
    figure.lines.push(line.id);
    figures.set(id, figure);
  }
  return [...figures.values()].sort((a, b) => byString(a.key, b.key) || byString(a.currency, b.currency));
}

// The facts the view reads besides the concerts' (which isConcertFact recognises): an order's cart confirmed, its
// payment taken and its tickets' refund asked at a desk.
const factTypes = { PaymentInitiated: true, CartConfirmed: true, TicketsRefundRequested: true } as const;

type Concert = { info: ConcertInfo; levels: LevelOccupancy[] };

function concertOf(chain: DecisionDoc<StreamDecisionType>[]): Concert | null {
  const stream = initialStreamState();
  for (const doc of chain) stream.concert = evolveStream(stream, doc);
  const state = stream.concert;
  if (state.status === 'none') return null;
  const { artist, title, timezone } = state.details;
  return {
    info: {
      concertId: state.concertId,
      name: title ? `${artist} — ${title}` : artist,
      timezone,
      currency: state.currency,
    },
    levels: state.levels.map((l) => ({ level: l.name, capacity: l.capacity, sold: 0 })),
  };
}

/** Sold: seats of allocated sales and confirmed reservations, less refunded tickets. Scanned: tickets that came in. */
function occupancyOf({ info, levels }: Concert, chain: DecisionDoc<StreamDecisionType>[]): Occupancy {
  const sold = new Map<string, number>();
  const add = (level: string, n: number) => sold.set(level, (sold.get(level) ?? 0) + n);
  const held = new Map<string, ReservedLine[]>();
  const entries = new Map<string, string>();
  const facts: string[] = [];
  for (const doc of chain)
    switch (doc.type) {
      case 'SeatsAllocated':
        add(doc.data.level, doc.data.quantity);
        facts.push(doc._id);
        break;
      case 'ReservationPlaced':
        held.set(doc.data.reservationId, doc.data.lines);
        break;
      case 'ReservationConfirmed':
        for (const line of held.get(doc.data.reservationId) ?? []) add(line.level, line.quantity);
        facts.push(doc._id);
        break;
      case 'SaleRefunded':
        add(doc.data.level, -doc.data.ticketIds.length);
        facts.push(doc._id);
        break;
      case 'TicketEntered':
        entries.set(doc.data.scanId, doc.data.ticketId);
        facts.push(doc._id);
        break;
      case 'TicketScanAnnulmentAccepted':
        entries.delete(doc.data.scanId);
        facts.push(doc._id);
        break;
      default:
        break;
    }
  const perLevel = levels.map((l) => ({ ...l, sold: sold.get(l.level) ?? 0 }));
  return {
    concertId: info.concertId,
    name: info.name,
    capacity: perLevel.reduce((n, l) => n + l.capacity, 0),
    sold: perLevel.reduce((n, l) => n + l.sold, 0),
    scanned: new Set(entries.values()).size,
    levels: perLevel,
    facts,
  };
}

/** A desk's cash sales the concert allocated, and the refunds of confirmed sales it decided. */
function concertLines(
  chain: DecisionDoc<StreamDecisionType>[],
  facts: ReadonlyMap<string, FactDoc>,
  timezone: string,
): MoneyLine[] {
  const lines: MoneyLine[] = [];
  const sales = new Map<string, FactDoc<'SaleRecorded'>>();
  for (const doc of chain) {
    const cause = facts.get(doc.meta.causationId);
    if (doc.type === 'SeatsAllocated' && cause?.type === 'SaleRecorded') {
      const sale = cause.data;
      sales.set(cause._id, cause);
      lines.push({
        id: cause._id,
        kind: 'sale',
        source: 'desk_sale',
        concertId: sale.concertId,
        level: sale.level,
        tickets: sale.quantity,
        amount: sale.total,
        currency: sale.currency,
        method: sale.payment.method,
        deskId: cause.meta.deviceId,
        staffId: cause.meta.userId,
        at: cause.meta.recordedAt,
        day: dayIn(cause.meta.recordedAt, timezone),
        facts: [cause._id, doc._id],
      });
    }
    if (doc.type === 'SaleRefunded') {
      const { refundId, saleId, concertId, level, ticketIds, amount, currency, deviceId, refundedAt } =
        doc.data;
      const at = cause?.meta.recordedAt ?? refundedAt;
      lines.push({
        id: refundId,
        kind: 'refund',
        source: 'sale_refund',
        concertId,
        level,
        tickets: ticketIds.length,
        amount,
        currency,
        method: sales.get(saleId)?.data.payment.method ?? 'cash',
        deskId: deviceId,
        staffId: cause?.meta.userId ?? deviceId,
        at,
        day: dayIn(at, timezone),
        facts: [...(cause ? [cause._id] : []), doc._id, saleId],
      });
    }
  }
  return lines;
}

type OrderPlan = { lines: CartLine[]; staffId: string; placedDoc: string };

/** The desk facts an order's lines are traced to: who took a payment, who asked a refund, who confirmed the cart. */
type OrderFacts = {
  facts: ReadonlyMap<string, FactDoc>;
  /** The latest try of each payment (an earlier one the authority refused is over). */
  initiated: ReadonlyMap<string, FactDoc<'PaymentInitiated'>>;
  /** Each order's confirmed cart: the desk a card payment (no desk fact of its own) was taken at. */
  carts: ReadonlyMap<string, FactDoc<'CartConfirmed'>>;
};

/**
 * An order's payments the authority captured, and its refunds. A payment is split over the order's lines in its
 * currency (a payment for two concerts is revenue of both); a refund of tickets (TicketsRefundAccepted) names its own
 * lines. A cash sale's order (OrderRecordedFromSale) is the sale's, counted from the concert's stream: its payment is
 * not counted again here, its tickets' refunds are. A card refund is counted when the authority accepts it; the
 * gateway's later PaymentRefunded for the same refund id is the same money, not more.
 */
function orderLines(
  chain: DecisionDoc[],
  known: OrderFacts,
  concerts: ReadonlyMap<string, ConcertInfo>,
): MoneyLine[] {
  const lines: MoneyLine[] = [];
  let plan: OrderPlan | null = null;
  const captured = new Map<string, { amount: number; method: PaymentMethod; desk: Who }>();
  const ticketRefunds = new Set<string>();
  const dayOf = (at: string, concertId: string) => dayIn(at, concerts.get(concertId)?.timezone ?? 'UTC');
  for (const doc of chain) {
    if (doc.type === 'OrderPlaced') {
      plan = { lines: doc.data.lines, staffId: doc.data.placedBy.userId, placedDoc: doc._id };
      continue;
    }
    if (doc.type === 'TicketsRefundAccepted') {
      const { refundId, method, currency, deviceId } = doc.data;
      ticketRefunds.add(refundId);
      const cause = known.facts.get(doc.meta.causationId);
      const at = cause?.meta.recordedAt ?? doc.meta.recordedAt;
      doc.data.lines.forEach((line, i) =>
        lines.push({
          id: doc.data.lines.length === 1 ? refundId : `${refundId}#${i + 1}`,
          kind: 'refund',
          source: 'ticket_refund',
          concertId: line.concertId,
          level: line.level,
          tickets: line.ticketIds.length,
          amount: line.amount,
          currency,
          method,
          deskId: deviceId,
          staffId: cause?.meta.userId ?? deviceId,
          at,
          day: dayOf(at, line.concertId),
          facts: [...(cause ? [cause._id] : []), doc._id],
        }),
      );
      continue;
    }
    if (!plan) continue;
    if (doc.type === 'PaymentSucceeded') {
      const { paymentId, orderId, amount, currency, gatewayReference } = doc.data;
      const initiated = known.initiated.get(paymentId);
      const desk = initiated ?? known.carts.get(orderId);
      const method: PaymentMethod = gatewayReference ? 'card' : (initiated?.data.method.kind ?? 'card');
      const who = { deskId: desk?.meta.deviceId ?? 'online', staffId: desk?.meta.userId ?? plan.staffId };
      captured.set(paymentId, { amount, method, desk: who });
      const at = initiated?.meta.recordedAt ?? doc.meta.recordedAt;
      lines.push(
        ...split(plan, currency, amount, concerts, {
          id: paymentId,
          kind: 'sale',
          source: 'order_payment',
          method,
          ...who,
          at,
          facts: [plan.placedDoc, ...(desk ? [desk._id] : []), doc._id],
          wholeTickets: true,
        }),
      );
    }
    if (doc.type === 'PaymentRefunded' && !ticketRefunds.has(doc.data.refundId)) {
      const { paymentId, refundId, amount, currency, refundedInTotal } = doc.data;
      const payment = captured.get(paymentId);
      lines.push(
        ...split(plan, currency, amount, concerts, {
          id: refundId,
          kind: 'refund',
          source: 'order_refund',
          method: payment?.method ?? 'card',
          ...(payment?.desk ?? { deskId: 'online', staffId: plan.staffId }),
          at: doc.meta.recordedAt,
          facts: [doc._id],
          // A refund of the whole payment gives every ticket back; a part of it names none.
          wholeTickets: payment !== undefined && refundedInTotal === payment.amount,
        }),
      );
    }
  }
  // A gateway's PaymentRefunded decided before this view heard of the ticket refund it confirms: still the same money.
  return lines.filter(
    (line) => line.source !== 'order_refund' || !ticketRefunds.has(line.id.split('#')[0] ?? ''),
  );
}

type Who = { deskId: string; staffId: string };

type LineHead = Pick<
  MoneyLine,
  'id' | 'kind' | 'source' | 'method' | 'deskId' | 'staffId' | 'at' | 'facts'
> & {
  wholeTickets: boolean;
};

function split(
  plan: OrderPlan,
  currency: string,
  amount: number,
  concerts: ReadonlyMap<string, ConcertInfo>,
  head: LineHead,
): MoneyLine[] {
  const { wholeTickets, ...line } = head;
  const paid = plan.lines.filter((l) => l.currency === currency);
  const shares = splitAmount(
    amount,
    paid.map((l) => l.quantity * l.unitPrice),
  );
  return paid.map((l, i) => ({
    ...line,
    id: paid.length === 1 ? line.id : `${line.id}#${i + 1}`,
    concertId: l.concertId,
    level: l.level,
    tickets: wholeTickets ? l.quantity : 0,
    amount: shares[i] ?? 0,
    currency,
    day: dayIn(line.at, concerts.get(l.concertId)?.timezone ?? 'UTC'),
  }));
}

/** Every desk's shifts, open ones first, then the closed newest first. */
function shiftReports(docs: readonly AnyEventDoc[]): ShiftReport[] {
  const desks = new Set<string>();
  const factsOf = new Map<string, string[]>();
  for (const doc of docs)
    if (doc.stream.startsWith('drawer-') && 'shiftId' in (doc.data as object)) {
      const { deskId, shiftId } = doc.data as { deskId: string; shiftId: string };
      desks.add(deskId);
      factsOf.set(shiftId, [...(factsOf.get(shiftId) ?? []), doc._id]);
    }
  const reports: ShiftReport[] = [];
  for (const deskId of [...desks].sort(byString)) {
    const drawer = projectDrawer(docs, deskId);
    if (drawer.open) {
      const { shiftId, userId, currency, float, cashSales, cashRefunds, paidIn, paidOut, openedAt } =
        drawer.open;
      reports.push({
        deskId,
        shiftId,
        userId,
        currency,
        float,
        cashSales,
        cashRefunds,
        paidIn,
        paidOut,
        expected: expectedCash(drawer.open),
        counted: null,
        variance: null,
        openedAt,
        closedAt: null,
        facts: (factsOf.get(shiftId) ?? []).sort(byString),
      });
    }
    const opened = new Map<string, string>();
    for (const doc of docs)
      if (doc.type === 'DrawerShiftOpened' && doc.data.deskId === deskId)
        opened.set(doc.data.shiftId, doc.data.openedAt);
    for (const closed of drawer.closed)
      reports.push({
        ...closed,
        deskId,
        openedAt: opened.get(closed.shiftId) ?? closed.closedAt,
        facts: (factsOf.get(closed.shiftId) ?? []).sort(byString),
      });
  }
  return reports.sort(
    (a, b) =>
      Number(a.closedAt !== null) - Number(b.closedAt !== null) ||
      byString(b.closedAt ?? b.openedAt, a.closedAt ?? a.openedAt) ||
      byString(a.deskId, b.deskId),
  );
}

/** Invoices and credit notes from the orders database, with their numbers and payments. */
class Documents {
  private readonly byId = new Map<string, FinanceDocument>();
  private readonly numbers = new Map<string, { number: string; doc: string }>();
  private readonly payments = new Map<string, { record: PaymentRecord; doc: string }[]>();

  hear(doc: AnyEventDoc): void {
    switch (doc.type) {
      case 'InvoiceCreated': {
        const { invoiceId, orderId, buyer, issuedAt, lines, totals } = doc.data;
        this.byId.set(invoiceId, {
          documentId: invoiceId,
          kind: 'invoice',
          number: null,
          issuedAt,
          orderId,
          invoiceId: null,
          invoiceNumber: null,
          buyer,
          lines,
          totals,
          payments: [],
          reason: null,
          facts: [doc._id],
        });
        break;
      }
      case 'InvoicePaymentRecorded': {
        const { invoiceId, method, amount, currency, reference, paidAt } = doc.data;
        const list = this.payments.get(invoiceId) ?? [];
        list.push({ record: { method, amount, currency, reference, paidAt }, doc: doc._id });
        this.payments.set(invoiceId, list);
        break;
      }
      case 'CreditNoteIssued': {
        const { creditNoteId, invoiceId, reason, issuedAt, lines, totals } = doc.data;
        this.byId.set(creditNoteId, {
          documentId: creditNoteId,
          kind: 'credit_note',
          number: null,
          issuedAt,
          // The invoice's, filled in when the list is made (its stream may be heard later).
          orderId: '',
          invoiceId,
          invoiceNumber: null,
          buyer: null,
          lines: lines.map((line) => ({ ...line, quantity: null, unitPrice: null })),
          totals,
          payments: [],
          reason,
          facts: [doc._id],
        });
        break;
      }
      case 'InvoiceNumberAssigned':
        this.numbers.set(doc.data.documentId, { number: doc.data.number, doc: doc._id });
        break;
      default:
        break;
    }
  }

  /** Newest first. */
  list(): FinanceDocument[] {
    const documents = [...this.byId.values()].map((document) => {
      const number = this.numbers.get(document.documentId);
      const payments = this.payments.get(document.documentId) ?? [];
      const invoice = document.invoiceId ? this.byId.get(document.invoiceId) : undefined;
      const invoiceNumber = document.invoiceId ? this.numbers.get(document.invoiceId) : undefined;
      return {
        ...document,
        orderId: document.orderId || (invoice?.orderId ?? ''),
        buyer: document.buyer ?? invoice?.buyer ?? null,
        number: number?.number ?? null,
        invoiceNumber: invoiceNumber?.number ?? null,
        payments: payments.map((p) => p.record),
        facts: [...document.facts, ...payments.map((p) => p.doc), ...(number ? [number.doc] : [])],
      };
    });
    return documents.sort((a, b) => byString(b.issuedAt, a.issuedAt) || byString(a.documentId, b.documentId));
  }
}
