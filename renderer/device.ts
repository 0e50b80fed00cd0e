// This device's identity, given by the sync server when an admin's one-time enrolment code is exchanged, and kept in
// localStorage: the id names every fact it writes (the store refuses a fact in another device's name), the role says
// who may sign in on it, the secret is its own store password. Nothing here is a person's: see session/.
import { deviceRoles, isDeviceRole } from '../domain/users/devices';
import type { DeviceRole } from '../domain/users/devices';
import { t } from './i18n';

export type Device = { deviceId: string; role: DeviceRole; name: string; server: string; secret: string };

const storageKey = 'stagedoor.device';

export function loadDevice(): Device | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Partial<Device>) : undefined;
    if (parsed?.deviceId && parsed.name && parsed.server && parsed.secret && isDeviceRole(parsed.role ?? ''))
      return parsed as Device;
  } catch {
    // unreadable settings: set the device up again
  }
  return undefined;
}

/** Forgets the enrolment (a revoked device, set up again with a new code). The local log stays. */
export function forgetDevice(): void {
  localStorage.removeItem(storageKey);
}

/** The device's own credentials, as the store and the sync server's device routes take them. */
export const deviceAuthorization = (device: Pick<Device, 'deviceId' | 'secret'>): string =>
  `Basic ${btoa(`${device.deviceId}:${device.secret}`)}`;

export type EnrolInput = { server: string; code: string };
export type EnrolErrors = Partial<Record<'server' | 'code' | 'form', string>>;
type Enrolled = { ok: true; device: Device } | { ok: false; errors: EnrolErrors };

/** Exchanges a one-time enrolment code for this device's id, role and credentials, and keeps them. */
export async function enrolDevice(input: EnrolInput): Promise<Enrolled> {
  const server = normalizeServer(input.server);
  const code = input.code.trim();
  const errors: EnrolErrors = {};
  if (!server) errors.server = t('setup.badServer');
  if (!/^[0-9a-z]{5}-?[0-9a-z]{5}$/i.test(code)) errors.code = t('enrol.badCode');
  if (!server || errors.code) return { ok: false, errors };
  let response: Response;
  try {
    response = await fetch(`${server}/api/devices/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
  } catch {
    return { ok: false, errors: { server: t('enrol.unreachable') } };
  }
  if (response.status === 403) return { ok: false, errors: { code: t('enrol.refused') } };
  if (!response.ok) return { ok: false, errors: { form: t('enrol.failed', { status: response.status }) } };
  const body = (await response.json()) as {
    device: { deviceId: string; role: string; name: string };
    password: string;
  };
  if (!isDeviceRole(body.device.role))
    return { ok: false, errors: { form: t('enrol.failed', { status: 0 }) } };
  const device: Device = {
    deviceId: body.device.deviceId,
    role: body.device.role,
    name: body.device.name,
    server,
    secret: body.password,
  };
  localStorage.setItem(storageKey, JSON.stringify(device));
  return { ok: true, device };
}

export type AdminEnrolInput = {
  server: string;
  admin: string;
  password: string;
  role: DeviceRole;
  name: string;
};

/**
 * The first device, or one without a code at hand: an admin signs in here, the device asks for a code in the
 * admin's name and exchanges it at once. The admin's session is ended right after; nothing of it is kept.
 */
export async function enrolAsAdmin(input: AdminEnrolInput): Promise<Enrolled> {
  const server = normalizeServer(input.server);
  if (!server) return { ok: false, errors: { server: t('setup.badServer') } };
  if (!input.name.trim()) return { ok: false, errors: { form: t('setup.missingName') } };
  if (!deviceRoles.includes(input.role))
    return { ok: false, errors: { form: t('enrol.failed', { status: 0 }) } };
  let token: string;
  try {
    const session = await fetch(`${server}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: input.admin, password: input.password }),
    });
    const body = (await session.json()) as { token?: string; role?: string; reason?: string };
    if (!session.ok || !body.token) return { ok: false, errors: { form: body.reason ?? t('signIn.wrong') } };
    token = body.token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    try {
      if (body.role !== 'admin') return { ok: false, errors: { form: t('enrol.adminOnly') } };
      const offer = await fetch(`${server}/api/devices/codes`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ role: input.role, name: input.name.trim() }),
      });
      if (!offer.ok) return { ok: false, errors: { form: t('enrol.failed', { status: offer.status }) } };
      const { code } = (await offer.json()) as { code: string };
      return await enrolDevice({ server, code });
    } finally {
      void fetch(`${server}/api/sessions`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
    }
  } catch {
    return { ok: false, errors: { server: t('enrol.unreachable') } };
  }
}

export function normalizeServer(text: string): string | undefined {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
