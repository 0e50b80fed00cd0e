// Passwords are hashed here, on the server, with scrypt (memory-hard: 2^15 × 8 × 128 B = 32 MiB per hash), and kept
// as a PHC string; the clear password never reaches the log, the store or the logs.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

const cost = { ln: 15, r: 8, p: 1 } as const;
const keyLength = 32;

const derive = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

const scryptOptions = (ln: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** ln,
  r,
  p,
  maxmem: 2 ** ln * r * 128 * 2,
});

/** The PHC verifier of a password: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64, no padding). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, scryptOptions(cost.ln, cost.r, cost.p));
  const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** Does the password match the verifier? False for any verifier this server cannot read. Constant time in the key. */
export async function verifyPassword(password: string, verifier: string): Promise<boolean> {
  const match = phc.exec(verifier);
  if (!match) return false;
  const [, ln, r, p, salt, hash] = match;
  const expected = Buffer.from(hash ?? '', 'base64');
  const key = await derive(
    password,
    Buffer.from(salt ?? '', 'base64'),
    scryptOptions(Number(ln), Number(r), Number(p)),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A secret for a machine (a device's store password, a session token): 32 random bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');
