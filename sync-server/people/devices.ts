// Devices: an admin asks for a one-time enrolment code for a role; the device presents it once and receives its own
// id and store credentials (a user in the store's `_users`, see store/security.ts). Revoking a device deletes that
// user, so its credentials stop working at once, and records the revocation: the authority quarantines any fact of a
// revoked device that reaches it later, for review. Codes and devices are kept in stagedoor-authority.
import { createHash, randomInt } from 'node:crypto';
import { ulid } from 'ulid';
import type { DeviceRole } from '../../domain/users/devices';
import { authorityDb, createAll, getDoc, readRange } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { createDeviceUser, revokeDeviceUser } from '../store/security';
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

  return {
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
      if (doc.revokedAt) return doc;
      const revoked = { ...doc, revokedAt: now().toISOString(), revokedBy: by };
      await db.insert(revoked);
      return revoked;
    },
  };
}
export type Devices = ReturnType<typeof devices>;
