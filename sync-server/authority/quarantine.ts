// Quarantine records: a document the authority could not accept stays where it is, and a record next to it says
// why. The record's id is derived from the document's, so quarantining twice is a no-op.
import type { QuarantineDoc } from '../../domain/events/catalogue';

export function quarantineDoc(
  database: string,
  entry: { id: string; reason: string; type: string | null },
  at: string,
): QuarantineDoc {
  return {
    _id: `quarantine:${entry.id}`,
    type: 'FactQuarantined',
    v: 1,
    stream: 'quarantine',
    data: { docId: entry.id, database, reason: entry.reason, docType: entry.type },
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: at,
      correlationId: entry.id,
      causationId: entry.id,
    },
  };
}
