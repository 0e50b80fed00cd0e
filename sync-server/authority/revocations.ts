// Facts of a revoked device are held for review. A device's store credentials stop working the moment it is revoked
// (people/devices.ts), but what it wrote offline may still arrive through another path (a copied database, another
// device's replication of a shared log, an admin's import). Whatever of it reaches an authority after the revocation
// is not decided: it is quarantined with the reason, for an admin to look at, and the loop goes on.
import type { Logger } from 'pino';
import { factIdPattern } from '../../domain/log/envelope';
import { authorityDb, readRange } from '../store/couch';
import type { Change, Couch, Doc } from '../store/couch';
import { quarantineAll } from './decision-log';
import type { Metrics } from './metrics';

/** How long a read of the revoked devices is used before it is read again. */
const freshForMs = 1_000;

export type Screen = (dbName: string, changes: Change[]) => Promise<Change[]>;

export function revokedDevicesScreen(options: { couch: Couch; logger: Logger; metrics: Metrics }): Screen {
  const { couch } = options;
  const authority = couch.server.use<Doc>(authorityDb);
  let revoked = new Map<string, string>();
  let readAt = -Infinity;
  const current = async (): Promise<Map<string, string>> => {
    if (performance.now() - readAt < freshForMs) return revoked;
    const found = new Map<string, string>();
    for await (const page of readRange(authority, 'device:', 'device:\ufff0'))
      for (const doc of page)
        if (typeof doc.revokedAt === 'string' && typeof doc.deviceId === 'string')
          found.set(doc.deviceId, doc.revokedAt);
    revoked = found;
    readAt = performance.now();
    return revoked;
  };

  return async (dbName, changes) => {
    const devices = await current();
    if (devices.size === 0) return changes;
    const held: { id: string; reason: string; type: string | null }[] = [];
    const kept = changes.filter((change) => {
      const deviceId = deviceOf(change.doc);
      const revokedAt = deviceId === undefined ? undefined : devices.get(deviceId);
      if (revokedAt === undefined || !factIdPattern.test(change.id)) return true;
      held.push({
        id: change.id,
        reason: `device ${deviceId} was revoked at ${revokedAt}: its facts are held for review`,
        type: typeof change.doc?.type === 'string' ? change.doc.type : null,
      });
      return false;
    });
    await quarantineAll(couch.server.use<Doc>(dbName), dbName, held, {
      at: new Date().toISOString(),
      metrics: options.metrics,
      scope: dbName,
      logger: options.logger,
    });
    return kept;
  };
}

function deviceOf(doc: Doc | undefined): string | undefined {
  const meta = doc?.meta;
  return typeof meta === 'object' && meta !== null && 'deviceId' in meta && typeof meta.deviceId === 'string'
    ? meta.deviceId
    : undefined;
}
