// The admin screens' calls to the sync server's API, with the signed-in person's bearer token (an online sign-in's;
// a PIN sign-in has none). Every outcome is a sentence a person can act on.
import type { Device } from '../device';
import { t } from '../i18n';
import type { Person } from './session';

export type ApiResult<T> = { ok: true; body: T } | { ok: false; reason: string };

export async function callApi<T>(
  device: Device,
  person: Person,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  if (!person.token) return { ok: false, reason: t('admin.needsPassword') };
  let response: Response;
  try {
    response = await fetch(`${device.server}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${person.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch {
    return { ok: false, reason: t('admin.offline') };
  }
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as T & { reason?: string };
  if (response.status === 401) return { ok: false, reason: t('admin.sessionEnded') };
  if (!response.ok)
    return { ok: false, reason: parsed.reason ?? t('admin.failed', { status: response.status }) };
  return { ok: true, body: parsed };
}
