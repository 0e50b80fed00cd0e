import { describe, expect, it } from 'vitest';
import { passwordVerifierPattern } from '../../domain/users/events';
import { hashPassword, newSecret, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes to a PHC verifier the domain accepts, which holds no trace of the password', async () => {
    const verifier = await hashPassword('correct horse battery');
    expect(verifier).toMatch(passwordVerifierPattern);
    expect(verifier).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(verifier).not.toContain('correct');
    expect(await hashPassword('correct horse battery')).not.toBe(verifier); // salted
  });

  it('verifies the right password only', async () => {
    const verifier = await hashPassword('zażółć gęślą jaźń');
    expect(await verifyPassword('zażółć gęślą jaźń', verifier)).toBe(true);
    expect(await verifyPassword('zażółć gęślą jaźn', verifier)).toBe(false);
    expect(await verifyPassword('', verifier)).toBe(false);
  });

  it('refuses verifiers it cannot read instead of throwing', async () => {
    expect(await verifyPassword('x', 'x')).toBe(false);
    expect(await verifyPassword('x', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe(false);
  });

  it('makes long random secrets', () => {
    const secrets = new Set(Array.from({ length: 50 }, newSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
