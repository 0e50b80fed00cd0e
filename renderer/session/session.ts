// The person signed in on this device: who every fact names (meta.userId, a cart's staff), what the screens show, and
// the bearer token of an online sign-in (for the admin screens; a PIN sign-in has none). Kept in sessionStorage, so a
// reload keeps the person and closing the app signs them out. After idleMs without input the device locks: the same
// person's PIN unlocks it.
import { useSyncExternalStore } from 'react';
import type { Role } from '../../domain/events/catalogue';
import type { Device } from '../device';

export type Person = { userId: string; name: string; role: Role; token?: string };
type SessionState = { person: Person | undefined; locked: boolean };

export const idleMs = 5 * 60_000;
// Outside a browser (unit specs of the desk's actions) the session lives in memory.
const memory = new Map<string, string>();
const storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> =
  typeof sessionStorage === 'undefined'
    ? {
        getItem: (key) => memory.get(key) ?? null,
        setItem: (key, value) => void memory.set(key, value),
        removeItem: (key) => void memory.delete(key),
      }
    : sessionStorage;
const personKey = 'stagedoor.person';
const lockedKey = 'stagedoor.locked';
const activeKey = 'stagedoor.activeAt';

function readPerson(): Person | undefined {
  try {
    const parsed = JSON.parse(storage.getItem(personKey) ?? 'null') as Person | null;
    return parsed?.userId && parsed.name && parsed.role ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const idleSince = () => Date.now() - Number(storage.getItem(activeKey) ?? 0) > idleMs;
let state: SessionState = (() => {
  const person = readPerson();
  return { person, locked: Boolean(person) && (storage.getItem(lockedKey) === '1' || idleSince()) };
})();
const listeners = new Set<() => void>();

const set = (next: SessionState) => {
  state = next;
  if (next.person) storage.setItem(personKey, JSON.stringify(next.person));
  else storage.removeItem(personKey);
  storage.setItem(lockedKey, next.locked ? '1' : '0');
  for (const listener of listeners) listener();
};

export const currentPerson = (): Person | undefined => state.person;

/** The signed-in person; throws when nobody is (no screen that records facts shows then). */
export function signedIn(): Person {
  if (!state.person) throw new Error('Nobody is signed in on this device: sign in first.');
  return state.person;
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

export function startSession(person: Person): void {
  storage.setItem(activeKey, String(Date.now()));
  set({ person, locked: false });
}

export const lockSession = (): void => {
  if (state.person && !state.locked) set({ ...state, locked: true });
};

export function unlockSession(): void {
  storage.setItem(activeKey, String(Date.now()));
  if (state.person) set({ ...state, locked: false });
}

/** Signs the person out here, and ends their server session when they had one (best effort: offline it lapses). */
export function signOut(device: Device): void {
  const token = state.person?.token;
  if (token)
    void fetch(`${device.server}/api/sessions`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    }).catch(() => undefined);
  set({ person: undefined, locked: false });
}

/** Any input keeps the device unlocked; `idleMs` without input locks it (checked every few seconds). */
export function watchIdle(): () => void {
  let last = 0;
  const active = () => {
    const now = Date.now();
    // One write per second at most: a burst of keys from a barcode wedge costs nothing.
    if (now - last > 1_000) {
      last = now;
      storage.setItem(activeKey, String(now));
    }
  };
  const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
  for (const name of events) window.addEventListener(name, active, { capture: true, passive: true });
  const timer = setInterval(() => {
    if (state.person && !state.locked && idleSince()) lockSession();
  }, 5_000);
  return () => {
    for (const name of events) window.removeEventListener(name, active, { capture: true });
    clearInterval(timer);
  };
}
