// The offline PIN's verifier, with Node's WebCrypto (the same API the browser has) and an in-memory localStorage.
import { beforeEach, describe, expect, it } from 'vitest';
import { checkPin, hasPin, keepPins, pinIterations, setPin } from './pin';
import { lockedUntil, maxPinFailures, pinFailed, pinSucceeded } from './lockout';

const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  },
});

beforeEach(() => store.clear());

describe('the PIN verifier', () => {
  it('keeps a salted PBKDF2 hash, never the PIN, and checks only the right PIN', async () => {
    await setPin('user-1', '48151623');
    const kept = store.get('stagedoor.pins') ?? '';
    expect(kept).not.toContain('48151623');
    expect(JSON.parse(kept)).toMatchObject({ 'user-1': { iterations: pinIterations } });
    expect(pinIterations).toBeGreaterThanOrEqual(210_000);
    expect(await checkPin('user-1', '48151623')).toBe(true);
    expect(await checkPin('user-1', '48151624')).toBe(false);
    expect(await checkPin('user-2', '48151623')).toBe(false);
    await setPin('user-2', '48151623');
    const verifiers = JSON.parse(store.get('stagedoor.pins') ?? '{}') as Record<string, { hash: string }>;
    expect(verifiers['user-1']?.hash).not.toBe(verifiers['user-2']?.hash); // salted
  });

  it('drops the verifiers of people the roster no longer admits', async () => {
    await setPin('user-1', '1234');
    await setPin('user-2', '5678');
    keepPins(new Set(['user-2']));
    expect(hasPin('user-1')).toBe(false);
    expect(hasPin('user-2')).toBe(true);
  });
});

describe('the lockout', () => {
  it(`locks a name after ${maxPinFailures} wrong PINs for 15 minutes, whatever its case`, () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    for (let i = 1; i < maxPinFailures; i++) expect(pinFailed('Ada', now)).toBeUndefined();
    expect(pinFailed('ada ', now)).toBe(now + 15 * 60_000);
    expect(lockedUntil('ADA', now + 60_000)).toBe(now + 15 * 60_000);
    expect(lockedUntil('Ada', now + 15 * 60_000 + 1)).toBeUndefined();
  });

  it('a right PIN clears the count', () => {
    const now = Date.now();
    for (let i = 1; i < maxPinFailures; i++) pinFailed('Ola', now);
    pinSucceeded('Ola');
    expect(pinFailed('Ola', now)).toBeUndefined();
  });
});
