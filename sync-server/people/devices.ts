// Devices: an admin asks for a one-time enrolment code for a role; the device presents it once and receives its own
// id and store credentials (a user in the store's `_users`, see store/security.ts). Revoking a device deletes that
// user, so its credentials stop working at once, and records the revocation: the authority quarantines any fact of a
// revoked device that reaches it later, for review. Codes and devices are kept in stagedoor-authority.
//
// The sync server checks a device's credentials by asking the store who they belong to (`GET /_session` with the
// device's Basic credentials): the store is the one place that knows them, and the server keeps no device secret.
import { createHash, randomInt } from 'node:crypto';
import { ulid } from 'ulid';
import { isDeviceRole } from '../../domain/users/devices';
import type { DeviceRole } from '../../domain/users/devices';
import { authorityDb, createAll, getDoc, readRange, storeEndpoint } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { createDeviceUser, deviceStoreRole, revokeDeviceUser } from '../store/security';
import { newSecret } from './passwords';

export type Device = {
  deviceId: string;
  role: DeviceRole;
  name: string;
  enrolledAt: string;
  enrolledBy: string;
  revokedAt?: string;
  revokedBy?: string;
};
/** A device as a request made with its credentials shows it. */
export type EnrolledDevice = { deviceId: string; role: DeviceRole; name: string };
export type DeviceCheck =
  | { ok: true; device: EnrolledDevice }
  | { ok: false; error: 'unauthorized' | 'device_revoked'; reason: string };

/** A device's good credentials are believed this long before the store is asked again (a revocation's delay). */
export const deviceCheckMs = 3_000;

type EnrolmentDoc = Doc & {
  role: DeviceRole;
  name: string;
  expiresAt: string;
  createdBy: string;
  usedBy?: string;
};
type DeviceDoc = Doc & Device;

export const enrolmentHours = 24;
/** Crockford's alphabet without look-alikes: a code is read off one screen and typed on another. */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class EnrolmentRefused extends Error {}

const codeDocId = (code: string) =>
  `enrolment:${createHash('sha256')
    .update(code.toUpperCase().replace(/[^0-9A-Z]/g, ''))
    .digest('hex')}`;
const deviceDocId = (deviceId: string) => `device:${deviceId}`;

export function devices(options: { couch: Couch; now?: () => Date }) {
  const { couch } = options;
  const db = couch.server.use<Doc>(authorityDb);
  const now = options.now ?? (() => new Date());
  const store = storeEndpoint(couch.url);
  const believed = new Map<string, { device: EnrolledDevice; until: number }>();
  const refused = (reason: string): DeviceCheck => ({ ok: false, error: 'unauthorized', reason });

  return {
    /** Whose credentials these are (an `Authorization: Basic` header): an enrolled, unrevoked device, or why not. */
    async authenticate(authorization: string | undefined): Promise<DeviceCheck> {
      if (!authorization?.startsWith('Basic '))
        return refused("this device's credentials are missing: set the device up with an enrolment code");
      const key = createHash('sha256').update(authorization).digest('hex');
      const known = believed.get(key);
      if (known && known.until > Date.now()) return { ok: true, device: known.device };
      believed.delete(key);
      const response = await fetch(`${store.base}/_session`, { headers: { authorization } });
      const body = response.ok
        ? ((await response.json()) as { userCtx?: { name?: string | null; roles?: string[] } })
        : undefined;
      const name = body?.userCtx?.name;
      if (!name || !body?.userCtx?.roles?.includes(deviceStoreRole)) {
        // Wrong credentials, or a device whose store user was deleted: say which, so the desk stops retrying.
        const claimed = Buffer.from(authorization.slice('Basic '.length), 'base64').toString().split(':')[0];
        const doc = claimed ? await getDoc<DeviceDoc>(db, deviceDocId(claimed)) : undefined;
        if (doc?.revokedAt)
          return { ok: false, error: 'device_revoked', reason: 'this device was revoked: ask an admin' };
        return refused("this device's credentials are wrong: set the device up again");
      }
      const doc = await getDoc<DeviceDoc>(db, deviceDocId(name));
      if (!doc || doc.revokedAt || !isDeviceRole(doc.role))
        return { ok: false, error: 'device_revoked', reason: 'this device was revoked: ask an admin' };
      const device = { deviceId: doc.deviceId, role: doc.role, name: doc.name };
      believed.set(key, { device, until: Date.now() + deviceCheckMs });
      return { ok: true, device };
    },

    /** A one-time code (50 bits, shown as XXXXX-XXXXX) valid for enrolmentHours; only its hash is kept. */
    async newCode(request: { role: DeviceRole; name: string; by: string }) {
      const raw = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
      const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
      const expiresAt = new Date(now().getTime() + enrolmentHours * 3_600_000).toISOString();
      await createAll(db, [
        { _id: codeDocId(code), role: request.role, name: request.name, expiresAt, createdBy: request.by },
      ]);
      return { code, role: request.role, name: request.name, expiresAt };
    },

    /** Exchanges a code for the device's identity and store credentials; a code works once. */
    async enrol(code: string): Promise<{ device: Device; password: string }> {
      const offer = await getDoc<EnrolmentDoc>(db, codeDocId(code));
      if (!offer || offer.usedBy || offer.expiresAt <= now().toISOString())
        throw new EnrolmentRefused(
          'This enrolment code is unknown, used or expired: ask an admin for a new one.',
        );
      const deviceId = `dev-${ulid().toLowerCase()}`;
      // Claim the code first: of two devices presenting it at once, the store lets one update win.
      try {
        await db.insert({ ...offer, usedBy: deviceId });
      } catch {
        throw new EnrolmentRefused(
          'This enrolment code is unknown, used or expired: ask an admin for a new one.',
        );
      }
      const password = newSecret();
      await createDeviceUser(couch, { deviceId, role: offer.role, password });
      const device: Device = {
        deviceId,
        role: offer.role,
        name: offer.name,
        enrolledAt: now().toISOString(),
        enrolledBy: offer.createdBy,
      };
      await createAll(db, [{ _id: deviceDocId(deviceId), ...device }]);
      return { device, password };
    },

    async list(): Promise<Device[]> {
      const found: Device[] = [];
      for await (const page of readRange(db, 'device:', 'device:\ufff0'))
        for (const doc of page) {
          const { _id: _ignored, _rev: _rev, ...device } = doc as DeviceDoc;
          found.push(device);
        }
      return found;
    },

    /** Revokes a device: its store credentials stop working now. False when there is no such device. */
    async revoke(deviceId: string, by: string): Promise<Device | undefined> {
      const doc = await getDoc<DeviceDoc>(db, deviceDocId(deviceId));
      if (!doc) return undefined;
      await revokeDeviceUser(couch, deviceId);
      for (const [key, known] of believed) if (known.device.deviceId === deviceId) believed.delete(key);
      if (doc.revokedAt) return doc;
      const revoked = { ...doc, revokedAt: now().toISOString(), revokedBy: by };
      await db.insert(revoked);
      return revoked;
    },
  };
}
export type Devices = ReturnType<typeof devices>;
