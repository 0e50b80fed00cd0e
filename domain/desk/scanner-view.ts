// The scanner's read model: one concert's gate as this device knows it, with or without the network. The authority's
// decisions in the concert's stream (tickets sold and issued, sales refunded and orders' refunded tickets voided, every
// gate's entries and exits) are folded in chain order; the scans and annulments it has not decided yet (this device's
// own above all) are decided on top with the authority's own rule (concert-gate.ts), so the scanner judges the next
// scan exactly as the authority will, as far as it knows. A code is checked for its signature first (domain/ticket/signing.ts, in the screen: async).
// `projectScanner` folds everything at once: the reference for scanner-log.ts, which keeps the same book as documents
// arrive (the screen's, so that a scan never waits for a fold of the whole concert).
import { concertStream } from '../authority/concert-authority';
import {
  decideGateFact,
  evolveGate,
  initialGateBook,
  isGateDecision,
  isGateFact,
  isVoidDecision,
} from '../authority/concert-gate';
import type { AnyDecision, GateBook, Passage } from '../authority/concert-gate';
import type { AnyEventDoc, DataOf, DecisionDoc, FactDoc } from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { emptyChain, followChain } from '../log/stream';
import type { GateEntry, ScanDirection, ScanVerdict } from '../ticket/events';
import { judgeScan } from '../ticket/gate';
import { readTicketCode } from '../ticket/signing';
import type { TicketClaim, TicketCodeRefusal, TicketCodeVerdict } from '../ticket/signing';

export type ProvisionalPolicy = 'admit' | 'refuse';

/** One scan this device made, newest first on the screen: what it showed, and what the authority made of it. */
export type OwnScan = {
  scanId: string;
  ticketId: string;
  gate: string;
  direction: ScanDirection;
  scannedAt: string;
  verdict: ScanVerdict;
  /** `pending` until the authority decided it; `annulled` once an annulment of it was accepted (or is pending). */
  status: 'pending' | 'entered' | 'exited' | 'refused' | 'annulled';
};

export type ScannerBook = {
  concertId: string;
  deviceId: string;
  /** The concert's name for the screen, when known. */
  title: string | null;
  cancelled: boolean;
  policy: ProvisionalPolicy;
  gate: GateBook;
  /** Entries and exits that count (decided, or scanned and not decided yet), annulled ones taken back. */
  counts: { entered: number; exited: number };
  /** This device's scans, newest first. */
  own: OwnScan[];
};

type Fact = FactDoc<'TicketScanned' | 'TicketScanAnnulled'>;

/** Folds what the device holds of a concert into the scanner's book; `now` stands for the authority's clock. */
export function projectScanner(
  docs: Iterable<AnyEventDoc>,
  deviceId: string,
  concertId: string,
  now: string = new Date(0).toISOString(),
): ScannerBook {
  const stream = concertStream(concertId);
  const decisions: DecisionDoc[] = [];
  const facts: Fact[] = [];
  for (const doc of docs) {
    if (doc.stream !== stream) continue;
    if (isDecision(doc)) decisions.push(doc);
    else if ((doc.type === 'TicketScanned' || doc.type === 'TicketScanAnnulled') && isGateFact(doc))
      facts.push(doc);
  }
  const book = emptyScannerBook(concertId, deviceId);
  const decided = new Map<string, AnyDecision['type']>();
  const links = decisions.map((doc) => ({ ...doc.meta, doc }));
  for (const { doc } of followChain(emptyChain(), links).accepted) {
    decided.set(doc.meta.causationId, doc.type);
    foldDecision(book, doc);
  }
  // What the authority has not decided yet, in the order it was made (ULIDs sort by time), decided here as it will be.
  facts.sort((a, b) => (a._id < b._id ? -1 : 1));
  for (const fact of facts) {
    if (decided.has(fact._id)) continue;
    applyToGate(book, decideGateFact(fact, book.gate, now));
  }
  for (const fact of facts)
    if (fact.type === 'TicketScanned' && fact.meta.deviceId === deviceId)
      book.own.push(ownScan(fact, decided));
  const annulled = new Set(
    facts.flatMap((f) =>
      f.type === 'TicketScanAnnulled' && f.meta.deviceId === deviceId ? [f.data.scanId] : [],
    ),
  );
  for (const scan of book.own)
    if (annulled.has(scan.scanId) && isAnnulled(book, scan.scanId)) scan.status = 'annulled';
  book.own.reverse();
  return book;
}

export const emptyScannerBook = (concertId: string, deviceId: string): ScannerBook => ({
  concertId,
  deviceId,
  title: null,
  cancelled: false,
  policy: 'admit',
  gate: initialGateBook(),
  counts: { entered: 0, exited: 0 },
  own: [],
});

/** A decision of the concert's chain folded into the book: the concert's name and policy, the gate, the counts. */
export function foldDecision(book: ScannerBook, doc: DecisionDoc): void {
  if (doc.type === 'ConcertCreated' || doc.type === 'ConcertDetailsUpdated') {
    book.title = `${doc.data.artist}${doc.data.title ? ` — ${doc.data.title}` : ''}`;
    book.policy = doc.data.provisionalAtGate ?? 'admit';
  }
  if (doc.type === 'ConcertCancelled') book.cancelled = true;
  applyToGate(book, doc);
}

/** A scan's or an annulment's decision: what an own scan's row says of it. */
export function ownStatus(type: AnyDecision['type'] | undefined): OwnScan['status'] {
  return type === 'TicketEntered'
    ? 'entered'
    : type === 'TicketExited'
      ? 'exited'
      : type
        ? 'refused'
        : 'pending';
}

const isAnnulled = (book: ScannerBook, scanId: string): boolean =>
  book.gate.passages.get(scanId)?.annulled ?? false;

export function ownScan(
  fact: FactDoc<'TicketScanned'>,
  decided: ReadonlyMap<string, AnyDecision['type']>,
): OwnScan {
  const { scanId, ticketId, gate, direction, scannedAt, verdict } = fact.data;
  return { scanId, ticketId, gate, direction, scannedAt, verdict, status: ownStatus(decided.get(fact._id)) };
}

/** A decision (the stream's, or one made here) folded into the book, with the counts. */
export function applyToGate(book: ScannerBook, decision: AnyDecision): void {
  if (
    !isGateDecision(decision) &&
    !isVoidDecision(decision) &&
    decision.type !== 'SeatsAllocated' &&
    decision.type !== 'TicketsIssued'
  )
    return;
  if (decision.type === 'TicketEntered') book.counts.entered += 1;
  if (decision.type === 'TicketExited') book.counts.exited += 1;
  if (decision.type === 'TicketScanAnnulmentAccepted') {
    const passage = book.gate.passages.get(decision.data.scanId);
    if (passage?.outcome === 'entered') book.counts.entered -= 1;
    if (passage?.outcome === 'exited') book.counts.exited -= 1;
  }
  evolveGate(book.gate, decision);
}

/** What the screen shows, at once: the colour, the verdict, and what it says about where the ticket went in. */
export type GateVerdict = {
  tone: 'green' | 'amber' | 'red';
  verdict: ScanVerdict | 'forged' | 'unreadable';
  direction: ScanDirection;
  /** The code's claim, when its signature held. */
  claim: TicketClaim | null;
  /** Why a code is no ticket: the signature check's reason. */
  codeRefusal: TicketCodeRefusal | null;
  /** For already_used: where and when the ticket went in. */
  firstEntry: GateEntry | null;
  /** The scan to record, unless the code was no ticket at all. */
  record: DataOf<'TicketScanned'> | null;
};

export type ScanInput = {
  scanId: string;
  /** The text the code decoded to, and its signature check. */
  code: string;
  checked: TicketCodeVerdict;
  gate: string;
  direction: ScanDirection;
  scannedAt: string;
};

/**
 * The verdict for one scan, judged against the book, and folded into it at once (the next scan, a second later, sees
 * it): no I/O, a few map reads.
 */
export function judgeAtGate(book: ScannerBook, input: ScanInput): GateVerdict {
  const { scanId, code, checked, gate, direction, scannedAt } = input;
  const none = { claim: null, firstEntry: null, record: null, direction };
  const claim = checked.ok ? checked.claim : (readTicketCode(code)?.claim ?? null);
  // A good signature outside its time, or a desk's ticket for a concert this gate is not for: a ticket, refused.
  const aTicket =
    checked.ok ||
    checked.reason === 'outside_window' ||
    (checked.reason === 'out_of_scope' && claim !== null && claim.concertId !== book.concertId);
  if (!checked.ok && (!aTicket || !claim)) {
    const verdict = checked.reason === 'unreadable' ? 'unreadable' : 'forged';
    return { ...none, tone: 'red', verdict, codeRefusal: checked.reason };
  }
  if (!claim) return { ...none, tone: 'red', verdict: 'unreadable', codeRefusal: 'unreadable' };
  const { ticketId, kind } = claim;
  const scan = {
    scanId,
    ticketId,
    concertId: book.concertId,
    gate,
    direction,
    scannedAt,
    deviceId: book.deviceId,
  };
  const known = book.gate.tickets.get(ticketId);
  const voided = book.cancelled || known?.status === 'voided';
  const refusal =
    claim.concertId !== book.concertId
      ? ('wrong_concert' as const)
      : !checked.ok
        ? ('outside_window' as const)
        : direction === 'entry' && !voided && kind === 'provisional' && book.policy === 'refuse'
          ? ('provisional' as const)
          : null;
  const decision = refusal
    ? null
    : judgeScan(scan, {
        tickets: {
          get: (id) => ({
            concertId: claim.concertId,
            status: voided ? 'voided' : 'valid',
            inside: book.gate.inside.get(id) ?? null,
          }),
        },
      });
  const verdict: ScanVerdict = refusal ?? verdictOf(decision);
  const record: DataOf<'TicketScanned'> = {
    scanId,
    ticketId,
    concertId: book.concertId,
    gate,
    direction,
    scannedAt,
    verdict,
    code,
    kind,
  };
  // The same rule as the authority's, on this device's knowledge: the scan counts here at once.
  applyToGate(book, decideGateFact(localScanFact(book, record), book.gate, scannedAt));
  book.own.unshift({ scanId, ticketId, gate, direction, scannedAt, verdict, status: 'pending' });
  const firstEntry = decision?.type === 'TicketScanRefused' ? decision.data.firstEntry : null;
  const tone =
    verdict === 'valid' || verdict === 'exited'
      ? kind === 'provisional' && direction === 'entry'
        ? 'amber'
        : 'green'
      : 'red';
  return {
    tone,
    verdict,
    direction,
    claim,
    codeRefusal: checked.ok ? null : checked.reason,
    firstEntry,
    record,
  };
}

/** The fact a scan judged here stands for until the store's copy is held (its id is the scan's). */
export const localScanFact = (
  book: ScannerBook,
  record: DataOf<'TicketScanned'>,
): FactDoc<'TicketScanned'> => ({
  _id: record.scanId,
  type: 'TicketScanned',
  v: 1,
  stream: concertStream(book.concertId),
  data: record,
  meta: meta(book, record.scanId, record.scannedAt),
});

export const localAnnulFact = (
  book: ScannerBook,
  annul: DataOf<'TicketScanAnnulled'>,
): FactDoc<'TicketScanAnnulled'> => ({
  _id: annul.annulId,
  type: 'TicketScanAnnulled',
  v: 1,
  stream: concertStream(book.concertId),
  data: annul,
  meta: meta(book, annul.annulId, annul.annulledAt),
});

const meta = (book: ScannerBook, id: string, at: string) => ({
  deviceId: book.deviceId,
  userId: book.deviceId,
  recordedAt: at,
  correlationId: id,
  causationId: id,
});

function verdictOf(decision: ReturnType<typeof judgeScan> | null): ScanVerdict {
  if (!decision) return 'not_found';
  if (decision.type === 'TicketEntered') return 'valid';
  if (decision.type === 'TicketExited') return 'exited';
  return decision.data.reason;
}

/** This device's scan it may still annul: its latest of the ticket, within two minutes, not annulled yet. */
export function annullable(book: ScannerBook, scanId: string, now: string, windowMs: number): boolean {
  const passage: Passage | undefined = book.gate.passages.get(scanId);
  if (!passage || passage.annulled || passage.deviceId !== book.deviceId) return false;
  if (Date.parse(now) - Date.parse(passage.at) > windowMs) return false;
  return passage.outcome === 'refused' || book.gate.latest.get(passage.ticketId) === scanId;
}

/** Folds this device's annulment into the book at once (as the authority will, if it is within the window). */
export function annulAtGate(book: ScannerBook, annul: DataOf<'TicketScanAnnulled'>): void {
  const decision = decideGateFact(localAnnulFact(book, annul), book.gate, annul.annulledAt);
  applyToGate(book, decision);
  if (decision.type !== 'TicketScanAnnulmentAccepted') return;
  const own = book.own.find((s) => s.scanId === annul.scanId);
  if (own) own.status = 'annulled';
}
