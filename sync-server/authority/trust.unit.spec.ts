// The authority's signing key on disk: made once, private, the same for two instances that start at once on one folder.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { publicKeyText, keyIdOf } from '../../domain/ticket/signing';
import { authorityKeyFile, loadAuthorityKey } from './trust';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagedoor-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the authority key file', () => {
  it('is made at the first start, private, and read back the same at the next', async () => {
    const dir = join(newDir(), 'data');
    const first = await loadAuthorityKey(dir, logger);
    expect(statSync(authorityKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(first.keyId).toBe(await keyIdOf(first.publicKey));
    expect(first.privateKey.extractable).toBe(false);
    const again = await loadAuthorityKey(dir, logger);
    expect(again.keyId).toBe(first.keyId);
    // The key read back signs what the published public key verifies.
    const message = new TextEncoder().encode('a certificate');
    const signature = await crypto.subtle.sign({ name: 'Ed25519' }, again.privateKey, message);
    const publicKey = await crypto.subtle.importKey(
      'raw',
      Buffer.from(first.publicKey, 'base64url'),
      { name: 'Ed25519' },
      true,
      ['verify'],
    );
    expect(await publicKeyText(publicKey)).toBe(first.publicKey);
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, message)).toBe(true);
  });

  it('is one key for two instances starting at once on one folder', async () => {
    const dir = newDir();
    const keys = await Promise.all(Array.from({ length: 4 }, () => loadAuthorityKey(dir, logger)));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
  });

  it('is made private again when it was readable by others', async () => {
    const dir = newDir();
    await loadAuthorityKey(dir, logger);
    chmodSync(authorityKeyFile(dir), 0o644);
    await loadAuthorityKey(dir, logger);
    expect(statSync(authorityKeyFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged file with a sentence saying what to do', async () => {
    const dir = newDir();
    writeFileSync(authorityKeyFile(dir), '{"keyId":"x","publicKey":"y","privateKey":"z"}', { mode: 0o600 });
    await expect(loadAuthorityKey(dir, logger)).rejects.toThrow(/restore it or move it away/);
  });
});
