// What every authority handler does with its database's documents besides deciding: recognising a decision written
// over one it accepted (a cluster conflict its write lost), and quarantining what it cannot accept.
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import { createAll } from '../store/couch';
import type { Doc } from '../store/couch';
import type { Metrics } from './metrics';
import { quarantineDoc } from './quarantine';

/** The decisionId a stored decision carries (undefined for anything else). */
export function decisionIdOf(doc: Doc): unknown {
  const meta = doc.meta;
  return typeof meta === 'object' && meta !== null && 'decisionId' in meta ? meta.decisionId : undefined;
}

export type Unacceptable = { id: string; reason: string; type: string | null };

/** Records each document with the reason next to it (create-only: quarantining twice is a no-op). */
export async function quarantineAll(
  db: DocumentScope<Doc>,
  database: string,
  entries: readonly Unacceptable[],
  context: { at: string; metrics: Metrics; scope: string; logger: Logger },
): Promise<void> {
  if (entries.length === 0) return;
  await createAll(
    db,
    entries.map((entry) => quarantineDoc(database, entry, context.at)),
  );
  context.metrics.quarantined.inc({ concert: context.scope }, entries.length);
  for (const entry of entries) context.logger.warn({ id: entry.id, reason: entry.reason }, 'quarantined');
}
