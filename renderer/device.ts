// This device's identity and settings, made once at first start and kept in localStorage: the device id names every
// fact it writes, so it must survive reloads and restarts.
import { ulid } from 'ulid';
import { t } from './i18n';

export type Device = { deviceId: string; name: string; server: string };

const storageKey = 'stagedoor.device';

export function loadDevice(): Device | undefined {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Partial<Device>) : undefined;
    if (parsed?.deviceId && parsed.name && parsed.server) return parsed as Device;
  } catch {
    // unreadable settings: set the desk up again
  }
  return undefined;
}

export type SetupInput = { server: string; name: string };

/** Checks the setup form; on success stores the device with a new id (or the one it had) and returns it. */
export function setUpDevice(
  input: SetupInput,
): { ok: true; device: Device } | { ok: false; errors: Partial<SetupInput> } {
  const errors: Partial<SetupInput> = {};
  const server = normalizeServer(input.server);
  if (!server) errors.server = t('setup.badServer');
  const name = input.name.trim();
  if (!name) errors.name = t('setup.missingName');
  if (!server || !name) return { ok: false, errors };
  const device: Device = { deviceId: loadDevice()?.deviceId ?? ulid(), name, server };
  localStorage.setItem(storageKey, JSON.stringify(device));
  return { ok: true, device };
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

/** Until sign-in exists (issue 4), facts name the desk's staff as one placeholder user. */
export const staffUserId = 'desk-user';
