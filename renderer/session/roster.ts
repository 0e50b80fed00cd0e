// Who may sign in on this device, as the sync server last said (GET /api/devices/roster, with the device's own
// credentials): name, role and whether they are active — never a verifier. Fetched at each contact and kept in
// localStorage for offline sign-in; a person the roster no longer admits loses their cached PIN verifier.
import type { Role } from '../../domain/events/catalogue';
import { normalizeName } from '../../domain/users/users';
import { deviceAuthorization } from '../device';
import type { Device } from '../device';
import { keepPins } from './pin';

export type RosterPerson = { userId: string; name: string; role: Role; status: 'active' | 'deactivated' };
export type RosterContact = 'ok' | 'offline' | 'revoked' | 'refused';

const storageKey = 'stagedoor.roster';
const listeners = new Set<() => void>();

export function loadRoster(): RosterPerson[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as RosterPerson[]) : [];
  } catch {
    return [];
  }
}

export const rosterPerson = (name: string): RosterPerson | undefined =>
  loadRoster().find((person) => normalizeName(person.name) === normalizeName(name));

export function onRoster(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks the sync server for the roster; 'revoked' when the server says this device was revoked. */
export async function refreshRoster(device: Device): Promise<RosterContact> {
  let response: Response;
  try {
    response = await fetch(`${device.server}/api/devices/roster`, {
      headers: { authorization: deviceAuthorization(device) },
      cache: 'no-store',
    });
  } catch {
    return 'offline';
  }
  if (response.status === 401) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    return body.error === 'device_revoked' ? 'revoked' : 'refused';
  }
  if (!response.ok) return 'offline';
  const { people } = (await response.json()) as { people: RosterPerson[] };
  localStorage.setItem(storageKey, JSON.stringify(people));
  keepPins(new Set(people.filter((p) => p.status === 'active').map((p) => p.userId)));
  for (const listener of listeners) listener();
  return 'ok';
}
