// A synchronous Ed25519 check for the gate's verdicts: libsodium compiled to WebAssembly (crypto_sign_verify_detached,
// ~0.25 ms a check here). WebCrypto checks as fast, but its answer comes back as a task of its own, after whatever the
// page had queued (the last scan's write and upload, the store's news): an online gate's verdict then waited 3.8 ms at
// p50 and 21.6 ms at p99 (bench/scan.bench.ts). With an answer at once, the verdict is on the screen before the key
// handler returns. Loaded on first use, as a chunk of its own (a desk never loads it). Where WebAssembly may not run
// (a stricter Content-Security-Policy) or libsodium does not pass its check, there is none: the gate uses WebCrypto.
import type { SignatureCheck } from '../../domain/ticket/signing';

let loading: Promise<SignatureCheck | undefined> | undefined;

/** The check, once loaded and known to tell RFC 8032's first test vector from a tampered copy; or undefined. */
export function loadSignatureCheck(): Promise<SignatureCheck | undefined> {
  loading ??= import('libsodium-wrappers')
    .then(async ({ default: sodium }) => {
      await sodium.ready;
      const check: SignatureCheck = (publicKey, signature, message) => {
        try {
          return sodium.crypto_sign_verify_detached(signature, message, publicKey);
        } catch {
          // A key or signature of the wrong length: libsodium throws where WebCrypto answers false.
          return false;
        }
      };
      return passesTestVector(check) ? check : undefined;
    })
    .catch(() => undefined);
  return loading;
}

const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (byte) => parseInt(byte, 16));

/** RFC 8032 §7.1, TEST 1: the empty message. */
function passesTestVector(check: SignatureCheck): boolean {
  const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const signature = hex(
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  const message = new Uint8Array(0);
  const tampered = signature.slice();
  tampered[0] = (tampered[0] ?? 0) ^ 1;
  return check(publicKey, signature, message) && !check(publicKey, tampered, message);
}
