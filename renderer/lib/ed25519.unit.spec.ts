// The gate's synchronous signature check: it loads (libsodium's WebAssembly), agrees with WebCrypto on signatures
// WebCrypto made, and answers false, without throwing, to whatever a scanned code could carry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSignatureCheck } from './ed25519';

const algorithm = { name: 'Ed25519' } as const;

async function signed(message: Uint8Array<ArrayBuffer>) {
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', keys.publicKey));
  const signature = new Uint8Array(await crypto.subtle.sign(algorithm, keys.privateKey, message));
  return { keys, publicKey, signature };
}

describe('the synchronous Ed25519 check', () => {
  it('loads once, and passes its own test vector', async () => {
    const first = loadSignatureCheck();
    expect(loadSignatureCheck()).toBe(first);
    expect(await first).toBeTypeOf('function');
  });

  it('says what WebCrypto says, for signatures made by WebCrypto and any of their bytes changed', async () => {
    const check = await loadSignatureCheck();
    if (!check) throw new Error('the check did not load');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('none', 'message', 'signature', 'key'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (bytes, change, at, mask) => {
          const message = new Uint8Array(bytes);
          const { keys, publicKey, signature } = await signed(message);
          const flip = (target: Uint8Array) => {
            if (target.length === 0) return;
            const index = at % target.length;
            target[index] = (target[index] ?? 0) ^ mask;
          };
          if (change === 'message') flip(message);
          if (change === 'signature') flip(signature);
          let key = keys.publicKey;
          if (change === 'key') {
            flip(publicKey);
            // A changed key may be no curve point at all: WebCrypto then refuses to import it.
            const imported = await crypto.subtle
              .importKey('raw', publicKey, algorithm, false, ['verify'])
              .catch(() => undefined);
            if (!imported) return expect(check(publicKey, signature, message)).toBe(false);
            key = imported;
          }
          const webCrypto = await crypto.subtle.verify(algorithm, key, signature, message);
          expect(check(publicKey, signature, message)).toBe(webCrypto);
          if (change === 'none') expect(webCrypto).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers false to a key or signature of the wrong length', async () => {
    const check = await loadSignatureCheck();
    if (!check) throw new Error('the check did not load');
    const { publicKey, signature } = await signed(new Uint8Array([1, 2, 3]));
    expect(check(publicKey, signature, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(check(publicKey.slice(0, 31), signature, new Uint8Array([1, 2, 3]))).toBe(false);
    expect(check(publicKey, signature.slice(0, 63), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
