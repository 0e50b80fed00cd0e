// The scanner's book kept up to date as the log grows, instead of folded again from every document at each change
// (a 100,000-ticket concert took ~280 ms a fold; a scan waited for it). Decisions are folded once, in chain order, as
// they arrive (chain-follower.ts: one that comes before its predecessor waits for it); the facts the authority has not
// decided yet, and the scans judged here whose facts are not held yet, are decided on top in a layer that is made
// again only when the decided part or that short list changed. A scan is judged against the layer at once: a few map
// reads. `projectScanner` (scanner-view.ts) is the reference: for any arrival order the book is the same as its.
import { concertStream } from '../authority/concert-authority';
import { TicketLedger, decideGateFact, isGateFact, tentativeGateBook } from '../authority/concert-gate';
import type { AnyDecision } from '../authority/concert-gate';
import type { AnyEventDoc, DataOf, DecisionDoc, FactDoc } from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { chainFollower } from './chain-follower';
import {
  annulAtGate,
  applyToGate,
  emptyScannerBook,
  foldDecision,
  judgeAtGate,
  localAnnulFact,
  localScanFact,
  ownScan,
  ownStatus,
} from './scanner-view';
import type { GateVerdict, OwnScan, ScanInput, ScannerBook } from './scanner-view';

type Fact = FactDoc<'TicketScanned' | 'TicketScanAnnulled'>;
type Link = { position: number; prev: string | null; decisionId: string; doc: DecisionDoc };

export type ScannerLog = {
  /** The book as of now: one object, changed in place (by a scan judged here, by the log's news). */
  readonly book: ScannerBook;
  /** Folds documents that arrived (any order, any of them again, any other concert's skipped); true if it changed. */
  add: (docs: Iterable<AnyEventDoc>) => boolean;
  /** The verdict for a scan (judgeAtGate), kept in the book until the scan's fact is held. */
  judge: (input: ScanInput) => GateVerdict;
  /** This device's annulment (annulAtGate), kept in the book until its fact is held. */
  annul: (annul: DataOf<'TicketScanAnnulled'>) => void;
  /** How much of the concert the book holds: its chain's decisions and the tickets they issued. */
  held: () => { decisions: number; tickets: number };
};

const byId = (a: Fact, b: Fact): number => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** The same scan's data (the store's copy of what was judged here): the same fields, with the same values. */
function sameData(a: Fact['data'], b: Fact['data']): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

/** `now` stands for the authority's clock, as in projectScanner. */
export function scannerLog(
  deviceId: string,
  concertId: string,
  now: string = new Date(0).toISOString(),
): ScannerLog {
  const stream = concertStream(concertId);
  const follower = chainFollower<Link>();
  /** The chain's decisions folded, and nothing else: the layer's base. */
  let decidedBook = emptyScannerBook(concertId, deviceId);
  /** Each decided cause (causationId) and its decision's type. */
  let decided = new Map<string, AnyDecision['type']>();
  /** Every gate fact held, and those of them not decided yet. */
  const facts = new Map<string, Fact>();
  let pending = new Map<string, Fact>();
  /** Scans and annulments made here whose facts are not held yet, by scan id (a scan) or annul id. */
  const locals = new Map<string, Fact>();
  /** The scans annulled by this device's annulments (held or made here). */
  const ownAnnulled = new Set<string>();
  /** This device's scans, newest first, with their ids (a held fact's id, or a local scan's scan id). */
  const ownKeys: string[] = [];
  /** Where each of this device's scans is listed: its key in `ownKeys`, by scan id. */
  const ownKeyOf = new Map<string, string>();
  const book = emptyScannerBook(concertId, deviceId);

  /** Where `key` goes in the newest-first list. */
  const slot = (key: string): number => {
    let low = 0;
    let high = ownKeys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((ownKeys[middle] ?? '') > key) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const addOwn = (key: string, scan: OwnScan) => {
    const at = slot(key);
    ownKeys.splice(at, 0, key);
    book.own.splice(at, 0, scan);
    ownKeyOf.set(scan.scanId, key);
  };
  const dropOwn = (key: string) => {
    const at = slot(key);
    if (ownKeys[at] !== key) return;
    const [scan] = book.own.splice(at, 1);
    ownKeys.splice(at, 1);
    if (scan && ownKeyOf.get(scan.scanId) === key) ownKeyOf.delete(scan.scanId);
  };
  const statusAt = (at: number) => {
    const key = ownKeys[at];
    const scan = book.own[at];
    if (key === undefined || !scan) return;
    scan.status =
      ownAnnulled.has(scan.scanId) && book.gate.passages.get(scan.scanId)?.annulled
        ? 'annulled'
        : ownStatus(decided.get(key));
  };
  const refreshStatus = (key: string) => {
    const at = slot(key);
    if (ownKeys[at] === key) statusAt(at);
  };

  /**
   * The greatest id the layer applied (undecided facts and scans judged here): a newer one goes on top of the layer as
   * it is, which is what making it again would do. `reordered`: something was applied out of that order, so the layer
   * is made again at the next change.
   */
  let top = '';
  let reordered = false;
  const onTop = (id: string) => {
    if (id > top) top = id;
    else reordered = true;
  };

  /** The layer: what is not decided yet, decided on the chain's book in the order it was made (ULIDs sort by time). */
  const layer = () => {
    const { title, cancelled, policy } = decidedBook;
    Object.assign(book, {
      title,
      cancelled,
      policy,
      gate: tentativeGateBook(decidedBook.gate),
      counts: { ...decidedBook.counts },
    });
    const undecided = [...pending.values(), ...locals.values()].sort(byId);
    for (const fact of undecided) applyToGate(book, decideGateFact(fact, book.gate, now));
    top = undecided.at(-1)?._id ?? '';
    reordered = false;
    // Only an annulled scan's status reads the layer (a gate lists tens of thousands of scans, few of them annulled).
    for (const scanId of ownAnnulled) {
      const key = ownKeyOf.get(scanId);
      if (key !== undefined) refreshStatus(key);
    }
  };

  /**
   * How a fact held changes the layer: not at all (decided already, or the store's copy of a scan judged here, which
   * has its id and data and so its place), on top of it (newer than anything applied), or only by making it again.
   */
  type Held = 'none' | 'same' | 'on_top' | 'again';
  const hold = (fact: Fact): Held => {
    if (facts.has(fact._id)) return 'none';
    facts.set(fact._id, fact);
    const undecided = !decided.has(fact._id);
    if (undecided) pending.set(fact._id, fact);
    const own = fact.meta.deviceId === deviceId;
    let replaced: Fact | undefined;
    if (fact.type === 'TicketScanned') {
      replaced = locals.get(fact.data.scanId);
      if (replaced) {
        locals.delete(fact.data.scanId);
        dropOwn(fact.data.scanId);
      }
      if (own) addOwn(fact._id, ownScan(fact, decided));
    } else {
      locals.delete(fact._id);
      if (own) ownAnnulled.add(fact.data.scanId);
      // An annulment changes statuses listed below the top: the layer is made again.
      return 'again';
    }
    if (replaced)
      return undecided &&
        replaced._id === fact._id &&
        sameData(replaced.data, fact.data) &&
        !ownAnnulled.has(fact.data.scanId)
        ? 'same'
        : 'again';
    if (!undecided) return 'again';
    return fact._id > top ? 'on_top' : 'again';
  };

  /** The chain behind the head changed: everything decided is folded again. */
  const refold = (chain: readonly Link[]) => {
    decidedBook = emptyScannerBook(concertId, deviceId);
    decided = new Map();
    pending = new Map(facts);
    for (const { doc } of chain) decide(doc);
    for (let at = 0; at < book.own.length; at++) statusAt(at);
  };
  const decide = (doc: DecisionDoc) => {
    const cause = doc.meta.causationId;
    decided.set(cause, doc.type);
    pending.delete(cause);
    foldDecision(decidedBook, doc);
  };

  return {
    book,
    add(docs) {
      const links: Link[] = [];
      let changed = false;
      /** Facts that go on top of the layer as it is, if nothing else asks for it to be made again. */
      const onTheLayer: Fact[] = [];
      let again = reordered;
      for (const doc of docs) {
        if (doc.stream !== stream) continue;
        if (isDecision(doc)) links.push({ ...doc.meta, doc });
        else if ((doc.type === 'TicketScanned' || doc.type === 'TicketScanAnnulled') && isGateFact(doc)) {
          const held = hold(doc);
          if (held === 'none') continue;
          changed = true;
          if (held === 'on_top') onTheLayer.push(doc);
          else again ||= held === 'again';
        }
      }
      const step = follower.add(links);
      if (step.rebuilt) refold(step.accepted);
      else
        for (const { doc } of step.accepted) {
          decide(doc);
          refreshStatus(doc.meta.causationId);
        }
      // A decision changes the layer's base: it is made again. So does a fact that would not go on top of it.
      again ||= step.rebuilt || step.accepted.length > 0;
      onTheLayer.sort(byId);
      if (again) layer();
      else
        for (const fact of onTheLayer) {
          applyToGate(book, decideGateFact(fact, book.gate, now));
          top = fact._id;
        }
      return changed || again;
    },
    judge(input) {
      const verdict = judgeAtGate(book, input);
      const { record } = verdict;
      // judgeAtGate put the scan at the head of the list: it goes where its id sorts, with its id beside it.
      const shown = record ? book.own.shift() : undefined;
      if (record && shown) {
        locals.set(record.scanId, localScanFact(book, record));
        addOwn(record.scanId, shown);
        onTop(record.scanId);
      }
      return verdict;
    },
    annul(annul) {
      annulAtGate(book, annul);
      locals.set(annul.annulId, localAnnulFact(book, annul));
      ownAnnulled.add(annul.scanId);
      onTop(annul.annulId);
    },
    held() {
      const { tickets } = decidedBook.gate;
      return {
        decisions: follower.chain().length,
        tickets: tickets instanceof TicketLedger ? tickets.size : 0,
      };
    },
  };
}

/** The desks' facts a gate scanner never reads: the sales themselves (their tickets are in the seats' decisions). */
const sellersFacts = new Set(['SaleRecorded', 'SaleSettlementRecorded', 'TicketsPrinted']);

/**
 * What a gate scanner keeps of what it replicates: everything but other devices' sales, their settlements and prints,
 * which neither its book (decisions and gate facts) nor its desk view (its own facts, every refund request, the
 * concerts' creations: desk-view.ts) reads. They are half of a concert's documents, and a scanner's start reads its
 * whole log.
 */
export function scannerKeeps(deviceId: string): (doc: unknown) => boolean {
  return (doc) => {
    if (typeof doc !== 'object' || doc === null) return true;
    const { type, meta } = doc as { type?: unknown; meta?: { deviceId?: unknown } };
    return !(typeof type === 'string' && sellersFacts.has(type) && meta?.deviceId !== deviceId);
  };
}
