// A person's PIN for signing in offline, checked against a verifier cached at their last online sign-in: PBKDF2-SHA256
// through WebCrypto with a random salt, kept in localStorage. The PIN itself is never stored or sent anywhere.

export const pinIterations = 210_000;
export const pinPattern = /^\d{4,8}$/;

type PinVerifier = { salt: string; hash: string; iterations: number };
const storageKey = 'stagedoor.pins';

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function readAll(): Record<string, PinVerifier> {
  try {
    return (JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Record<string, PinVerifier>) ?? {};
  } catch {
    return {};
  }
}
const writeAll = (all: Record<string, PinVerifier>) => localStorage.setItem(storageKey, JSON.stringify(all));

export const hasPin = (userId: string): boolean => Object.hasOwn(readAll(), userId);

/** Caches the verifier of a new PIN for this person (replacing an older one). */
export async function setPin(userId: string, pin: string): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(pin, salt, pinIterations);
  writeAll({
    ...readAll(),
    [userId]: { salt: toBase64(salt), hash: toBase64(hash), iterations: pinIterations },
  });
}

/** Does the PIN match this person's cached verifier? False when there is none. */
export async function checkPin(userId: string, pin: string): Promise<boolean> {
  const verifier = readAll()[userId];
  if (!verifier || !pinPattern.test(pin)) return false;
  const hash = await derive(pin, fromBase64(verifier.salt), verifier.iterations);
  const expected = fromBase64(verifier.hash);
  let difference = hash.length ^ expected.length;
  for (let i = 0; i < hash.length; i++) difference |= (hash[i] ?? 0) ^ (expected[i] ?? 0);
  return difference === 0;
}

/** Keeps only the verifiers of these people (the active ones the device's roster admits). */
export function keepPins(userIds: ReadonlySet<string>): void {
  const all = readAll();
  writeAll(Object.fromEntries(Object.entries(all).filter(([userId]) => userIds.has(userId))));
}
