// Offline sign-in's guard against guessing: after maxPinFailures wrong PINs for one name, that name is locked on this
// device for lockMinutes. Kept in localStorage, so a reload does not reset it.
import { normalizeName } from '../../domain/users/users';

export const maxPinFailures = 5;
export const lockMinutes = 15;

type Failures = { failures: number; lockedUntil: number };
const storageKey = 'stagedoor.pinLocks';

function readAll(): Record<string, Failures> {
  try {
    return (JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Record<string, Failures>) ?? {};
  } catch {
    return {};
  }
}
const writeAll = (all: Record<string, Failures>) => localStorage.setItem(storageKey, JSON.stringify(all));

/** Until when this name is locked (epoch ms), or undefined when it is not. */
export function lockedUntil(name: string, now = Date.now()): number | undefined {
  const entry = readAll()[normalizeName(name)];
  return entry && entry.lockedUntil > now ? entry.lockedUntil : undefined;
}

/** Counts a wrong PIN; returns until when the name is now locked, if this failure locked it. */
export function pinFailed(name: string, now = Date.now()): number | undefined {
  const all = readAll();
  const key = normalizeName(name);
  const failures = (all[key]?.failures ?? 0) + 1;
  const locked = failures >= maxPinFailures ? now + lockMinutes * 60_000 : 0;
  writeAll({ ...all, [key]: { failures: locked ? 0 : failures, lockedUntil: locked } });
  return locked || undefined;
}

export function pinSucceeded(name: string): void {
  const all = readAll();
  delete all[normalizeName(name)];
  writeAll(all);
}
