// Security where the data lives. Every event database admits members only (no anonymous access), and its validation
// lets a device write nothing but new facts of its role's types under its own device id: no update, no deletion, no
// decision, request, relay or quarantine record, no fact in another device's name. Only the store's admin (the sync
// server's authority) writes the rest. Devices sign in to the store with their own credentials (a user in `_users`
// named after the device, with the role it was enrolled for); revoking a device deletes that user, so its
// credentials stop working at once.
import { factIdPattern } from '../../domain/log/envelope';
import { deviceRoles, writableByDevice } from '../../domain/users/devices';
import type { DeviceRole } from '../../domain/users/devices';
import type { Couch, Doc } from './couch';
import { statusOf } from './couch';

/** The store role a device of this role holds; every device also holds `stagedoor:device`. */
export const storeRole = (role: DeviceRole): string => `stagedoor:${role}`;
export const deviceStoreRole = 'stagedoor:device';

/**
 * The validation of every event database, as CouchDB runs it (a function in a string). The writable types are
 * embedded, so a catalogue or permission change rewrites the design document at the next start (see eventsDesignDoc).
 */
export function eventsValidation(): string {
  const writable = JSON.stringify(writableByDevice());
  const roles = JSON.stringify(deviceRoles.map((role) => [storeRole(role), role]));
  return `function (newDoc, oldDoc, userCtx) {
  var isAdmin = userCtx.roles.indexOf('_admin') !== -1;
  if (newDoc._id.indexOf('_design/') === 0) {
    if (!isAdmin) throw({ forbidden: 'only the store admin changes design documents' });
    return;
  }
  if (oldDoc) throw({ forbidden: 'immutable: ' + newDoc._id + ' exists already; events are never changed' });
  if (newDoc._deleted) throw({ forbidden: 'events are never deleted' });
  if (typeof newDoc.type !== 'string' || typeof newDoc.stream !== 'string') throw({ forbidden: 'an event needs a type and a stream' });
  if (isAdmin) return;
  var writable = ${writable};
  var roles = ${roles};
  var role = null;
  for (var i = 0; i < roles.length; i++) if (userCtx.roles.indexOf(roles[i][0]) !== -1) role = roles[i][1];
  if (!role) throw({ forbidden: 'only an enrolled Stagedoor device writes events' });
  if (writable[role].indexOf(newDoc.type) === -1) throw({ forbidden: 'a ' + role + ' device may not write ' + newDoc.type });
  if (!${factIdPattern.toString()}.test(newDoc._id)) throw({ forbidden: 'a device fact id is a ULID, not ' + newDoc._id });
  if (!newDoc.meta || newDoc.meta.deviceId !== userCtx.name) throw({ forbidden: 'device ' + userCtx.name + ' may write only its own facts, not device ' + (newDoc.meta && newDoc.meta.deviceId) + "'s" });
}`;
}

/** Members only: every enrolled device may read and (as its validation allows) write; nobody anonymous. */
export const eventsSecurity = {
  admins: { names: [], roles: [] },
  members: { names: [], roles: [deviceStoreRole] },
};

/** The server's own databases (leases, checkpoints, credentials' records): the store admin only. */
export const serverOnlySecurity = {
  admins: { names: [], roles: [] },
  // A role no user holds: CouchDB treats empty members as public, so the database names one to stay closed.
  members: { names: [], roles: ['_admin'] },
};

export async function ensureSecurity(
  couch: Couch,
  dbName: string,
  security: typeof eventsSecurity,
): Promise<void> {
  const db = couch.server.use<Doc>(dbName);
  const current = (await db.get('_security').catch(() => ({}))) as Partial<typeof eventsSecurity>;
  if (JSON.stringify(current.members) === JSON.stringify(security.members)) return;
  await couch.server.request({ db: dbName, path: '_security', method: 'PUT', body: security });
}

const userDocId = (deviceId: string) => `org.couchdb.user:${deviceId}`;

/** Gives a device its own store credentials (its password is hashed by the store; it is never stored in clear). */
export async function createDeviceUser(
  couch: Couch,
  device: { deviceId: string; role: DeviceRole; password: string },
): Promise<void> {
  const users = couch.server.use<Doc>('_users');
  await users.insert({
    _id: userDocId(device.deviceId),
    name: device.deviceId,
    type: 'user',
    roles: [deviceStoreRole, storeRole(device.role)],
    password: device.password,
  });
}

/** Deletes a device's store user: its credentials stop working (401) with the next request. */
export async function revokeDeviceUser(couch: Couch, deviceId: string): Promise<boolean> {
  const users = couch.server.use<Doc>('_users');
  try {
    const doc = await users.get(userDocId(deviceId));
    await users.destroy(doc._id, doc._rev ?? '');
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
