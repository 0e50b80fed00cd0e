// The desk's view kept up to date as the log grows, instead of projected again from every document at each change
// (a concert of 100,000 tickets took ~200 ms a projection, and a desk or a scanner re-projected at every decision that
// arrived). Each concert stream's decisions are folded once, in chain order, as they arrive (chain-follower.ts: one
// that comes before its predecessor waits for it; a late rival that wins a passed position makes that stream fold
// again); the facts the view reads are kept by id. The view is then made from the folds and those facts: work in
// proportion to this device's own facts and the concerts, not to the log. `projectDesk` (desk-view.ts) is the
// reference: for any arrival order the view is the same as its.
import { isStreamDecision } from '../authority/concert-authority';
import type { StreamDecisionType } from '../authority/concert-authority';
import { isGateFact } from '../authority/concert-gate';
import type { GateFactType } from '../authority/concert-gate';
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import { isConcertFact } from '../events/catalogue';
import { chainFollower } from './chain-follower';
import type { ChainFollower } from './chain-follower';
import { deskViewOf, emptyStreamFold, foldStreamDecision, keepViewFact, noViewFacts } from './desk-view';
import type { DeskView, StreamFold } from './desk-view';

type Link = {
  position: number;
  prev: string | null;
  decisionId: string;
  doc: DecisionDoc<StreamDecisionType>;
};

export type DeskLog = {
  /** Folds documents that arrived (any order, any of them again); true if the view may have changed. */
  add: (docs: Iterable<AnyEventDoc>) => boolean;
  /** The view of everything added so far (made again only after an add that changed something). */
  view: () => DeskView;
};

export function deskLog(deviceId: string): DeskLog {
  const streams = new Map<string, { follower: ChainFollower<Link>; fold: StreamFold }>();
  const facts = noViewFacts();
  const quarantined = new Map<string, string>();
  /**
   * This device's gate facts with no outcome yet, kept as facts and decisions arrive: a gate records tens of thousands
   * of scans, and looking each up at every view took milliseconds at every refresh of its screen.
   */
  const gateUndecided = new Set<string>();
  let view: DeskView | undefined;

  const streamOf = (name: string) => {
    const known = streams.get(name);
    if (known) return known;
    const entry = { follower: chainFollower<Link>(), fold: emptyStreamFold() };
    streams.set(name, entry);
    return entry;
  };
  const decided = (id: string) => {
    if (quarantined.has(id)) return true;
    for (const { fold } of streams.values()) if (fold.outcomes.has(id)) return true;
    return false;
  };
  const ownGate = (doc: AnyEventDoc): doc is FactDoc<GateFactType> =>
    isGateFact(doc) && doc.meta.deviceId === deviceId;

  return {
    add(docs) {
      const links = new Map<string, Link[]>();
      let changed = false;
      for (const doc of docs) {
        if (isConcertFact(doc)) {
          changed = keepViewFact(facts, doc, deviceId) || changed;
          if (ownGate(doc) && !decided(doc._id)) gateUndecided.add(doc._id);
        } else if (isStreamDecision(doc)) {
          const list = links.get(doc.stream);
          if (list) list.push({ ...doc.meta, doc });
          else links.set(doc.stream, [{ ...doc.meta, doc }]);
        } else if (doc.type === 'FactQuarantined' && !quarantined.has(doc.data.docId)) {
          quarantined.set(doc.data.docId, doc.data.reason);
          gateUndecided.delete(doc.data.docId);
          changed = true;
        }
      }
      let rebuilt = false;
      for (const [name, list] of links) {
        const entry = streamOf(name);
        const step = entry.follower.add(list);
        // A late decision changed the chain behind its head: the stream is folded again from the start.
        if (step.rebuilt) entry.fold = emptyStreamFold();
        for (const { doc } of step.accepted) {
          foldStreamDecision(entry.fold, doc, deviceId);
          gateUndecided.delete(doc.meta.causationId);
        }
        rebuilt ||= step.rebuilt;
        changed = changed || step.rebuilt || step.accepted.length > 0;
      }
      // A decision orphaned by the rebuild leaves its fact undecided again.
      if (rebuilt)
        for (const fact of facts.ownGate.values()) if (!decided(fact._id)) gateUndecided.add(fact._id);
      if (changed) view = undefined;
      return changed;
    },
    view() {
      view ??= deskViewOf(
        new Map([...streams].map(([name, s]) => [name, s.fold])),
        quarantined,
        facts,
        deviceId,
        gateUndecided,
      );
      return view;
    },
  };
}
