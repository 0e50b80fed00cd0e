// Tickets that verify offline: the authority's key, desk keys it certified, revocations, and every way a code can be
// wrong (tampered, forged, out of scope, out of time, unreadable). Every code is checked both ways, with WebCrypto's
// verify and with a synchronous check (libsodium, as a gate uses: verifyTicketCodeNow), and both must agree.
import fc from 'fast-check';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addTrustEvents,
  authoritySigner,
  certificateFor,
  deskSigner,
  emptyTrust,
  fromBase64url,
  generateSigningKey,
  keyIdOf,
  liveCertificates,
  publicKeyText,
  readTicketCode,
  signCertificate,
  signTicket,
  toBase64url,
  verifyTicketCode as verifyWithWebCrypto,
  verifyTicketCodeNow,
} from './signing';
import type { Certificate, SignatureCheck, TicketClaim, Trust } from './signing';
import type { CertificateBody } from './trust-events';

const doorsOpen = '2027-06-27T12:00:00.000Z';
const atTheGate = '2027-06-27T18:30:00.000Z';
const closed = '2027-06-28T06:00:00.000Z';

type Authority = { keyId: string; publicKey: string; keys: CryptoKeyPair };
let authority: Authority;
let desk: CryptoKeyPair;
let deskKey: string;

async function newAuthority(): Promise<Authority> {
  const keys = await generateSigningKey();
  const publicKey = await publicKeyText(keys.publicKey);
  return { keyId: await keyIdOf(publicKey), publicKey, keys };
}

const published = (a: Authority) => ({
  type: 'AuthorityKeyPublished',
  data: { keyId: a.keyId, publicKey: a.publicKey, publishedAt: '2027-06-01T00:00:00.000Z' },
});

async function certified(
  body: Partial<CertificateBody> = {},
  by: Authority = authority,
): Promise<{ type: 'DeskKeyCertified'; data: Certificate }> {
  const full: CertificateBody = {
    certificateId: 'cert-1',
    requestId: 'req-1',
    deviceId: 'desk-1',
    publicKey: deskKey,
    concertIds: ['rock-night'],
    notBefore: '2027-06-25T00:00:00.000Z',
    notAfter: '2027-07-02T00:00:00.000Z',
    authorityKeyId: by.keyId,
    ...body,
  };
  return {
    type: 'DeskKeyCertified',
    data: { ...full, signature: await signCertificate(full, by.keys.privateKey) },
  };
}

const claim = (overrides: Partial<TicketClaim> = {}): TicketClaim => ({
  ticketId: 'sale:01J0000000000000000000000A:t1',
  concertId: 'rock-night',
  level: 'Golden Circle',
  kind: 'guaranteed',
  validFrom: doorsOpen,
  validUntil: closed,
  signer: deskSigner('cert-1'),
  signedAt: '2027-06-26T09:00:00.000Z',
  ...overrides,
});

let trust: Trust;
const sodiumCheck: SignatureCheck = (publicKey, signature, message) =>
  sodium.crypto_sign_verify_detached(signature, message, publicKey);

/** The verdict by WebCrypto, after checking that the synchronous check gives the same one. */
async function verifyTicketCode(text: string, held: Trust, at: string) {
  const verdict = await verifyWithWebCrypto(text, held, at);
  expect(verifyTicketCodeNow(text, held, at, sodiumCheck)).toEqual(verdict);
  return verdict;
}

beforeAll(async () => {
  await sodium.ready;
  authority = await newAuthority();
  desk = await generateSigningKey();
  deskKey = await publicKeyText(desk.publicKey);
  trust = await addTrustEvents(emptyTrust(), [published(authority), await certified()]);
});

describe('a ticket signed at a certified desk', () => {
  it('verifies offline with the claim it carries', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    expect(code).toMatch(/^SD1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(await verifyTicketCode(code, trust, atTheGate)).toEqual({ ok: true, claim: claim() });
  });

  it("is signed with the desk's live certificate for the concert", () => {
    expect(certificateFor(trust, deskKey, 'rock-night', atTheGate)?.certificateId).toBe('cert-1');
    expect(certificateFor(trust, deskKey, 'jazz-evening', atTheGate)).toBeUndefined();
    expect(certificateFor(trust, deskKey, 'rock-night', '2027-07-03T00:00:00.000Z')).toBeUndefined();
  });

  it('is forged when its payload was changed after signing', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    const [, , signature] = code.split('.');
    const changed = toBase64url(new TextEncoder().encode(JSON.stringify(claim({ level: 'VIP' }))));
    const canonicalChanged = readTicketCode(`SD1.${changed}.${signature}`);
    // The JSON above is not canonical (keys unsorted): unreadable. Canonical and re-signed by nobody: forged.
    expect(canonicalChanged).toBeUndefined();
    const other = await signTicket(claim({ level: 'VIP' }), desk.privateKey);
    const [, otherPayload] = other.split('.');
    expect(await verifyTicketCode(`SD1.${otherPayload}.${signature}`, trust, atTheGate)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('is forged when signed by a key other than the one its signer names', async () => {
    const thief = await generateSigningKey();
    const code = await signTicket(claim(), thief.privateKey);
    expect(await verifyTicketCode(code, trust, atTheGate)).toEqual({ ok: false, reason: 'forged' });
  });

  it('is out of scope for a concert the certificate does not cover', async () => {
    const code = await signTicket(claim({ concertId: 'jazz-evening' }), desk.privateKey);
    expect(await verifyTicketCode(code, trust, atTheGate)).toEqual({ ok: false, reason: 'out_of_scope' });
  });

  it('is refused when signed after its certificate ended or before it began, and not for the scan time', async () => {
    const window = { validFrom: '2027-06-01T00:00:00.000Z', validUntil: '2027-12-31T00:00:00.000Z' };
    const signedAt = async (at: string) => signTicket(claim({ ...window, signedAt: at }), desk.privateKey);
    expect(await verifyTicketCode(await signedAt('2027-07-02T00:00:01.000Z'), trust, atTheGate)).toEqual({
      ok: false,
      reason: 'certificate_expired',
    });
    expect(await verifyTicketCode(await signedAt('2027-06-24T23:54:59.000Z'), trust, atTheGate)).toEqual({
      ok: false,
      reason: 'certificate_expired',
    });
    // A desk that knows the authority's time a few minutes behind it.
    expect((await verifyTicketCode(await signedAt('2027-06-24T23:56:00.000Z'), trust, atTheGate)).ok).toBe(
      true,
    );
    // Sold in the certificate's week, scanned months later at the concert: still valid.
    const early = await signedAt('2027-07-01T23:59:59.000Z');
    expect((await verifyTicketCode(early, trust, '2027-11-30T20:00:00.000Z')).ok).toBe(true);
  });

  it('is refused once its certificate is revoked', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    const revoked = await addTrustEvents(trust, [
      {
        type: 'DeskCertificateRevoked',
        data: { certificateId: 'cert-1', revokedAt: '2027-06-26T10:00:00.000Z', reason: 'stolen' },
      },
    ]);
    expect(await verifyTicketCode(code, revoked, atTheGate)).toEqual({ ok: false, reason: 'revoked' });
    expect(liveCertificates(revoked, atTheGate)).toEqual([]);
    // The trust it was built from is unchanged.
    expect((await verifyTicketCode(code, trust, atTheGate)).ok).toBe(true);
  });

  it('is outside its window before the doors open and after the concert', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    expect(await verifyTicketCode(code, trust, '2027-06-27T11:59:59.000Z')).toEqual({
      ok: false,
      reason: 'outside_window',
    });
    expect(await verifyTicketCode(code, trust, '2027-06-28T06:00:01.000Z')).toEqual({
      ok: false,
      reason: 'outside_window',
    });
  });
});

describe('the certificate chain', () => {
  it('ignores a certificate whose body was changed after the authority signed it', async () => {
    const genuine = await certified({ certificateId: 'cert-2' });
    const widened = { ...genuine, data: { ...genuine.data, concertIds: ['rock-night', 'jazz-evening'] } };
    const held = await addTrustEvents(emptyTrust(), [published(authority), widened]);
    expect(held.certificates.size).toBe(0);
    expect(held.unverifiable.has('cert-2')).toBe(true);
    const code = await signTicket(claim({ signer: deskSigner('cert-2') }), desk.privateKey);
    expect(await verifyTicketCode(code, held, atTheGate)).toEqual({ ok: false, reason: 'unknown_signer' });
  });

  it('ignores a certificate signed by a key that is not the authority it names', async () => {
    const impostor = await newAuthority();
    const forged = await certified({ certificateId: 'cert-3', authorityKeyId: authority.keyId }, impostor);
    const held = await addTrustEvents(emptyTrust(), [published(authority), forged]);
    expect(held.certificates.has('cert-3')).toBe(false);
  });

  it('trusts nothing before the authority key is published, and the waiting certificate once it is', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    const early = await addTrustEvents(emptyTrust(), [await certified()]);
    expect(await verifyTicketCode(code, early, atTheGate)).toEqual({ ok: false, reason: 'unknown_signer' });
    const later = await addTrustEvents(early, [published(authority)]);
    expect((await verifyTicketCode(code, later, atTheGate)).ok).toBe(true);
  });

  it('does not publish a key under a key id that is not its own', async () => {
    const wrong = { ...published(authority), data: { ...published(authority).data, keyId: 'someone-else' } };
    const held = await addTrustEvents(emptyTrust(), [wrong]);
    expect(held.authorityKeys.size).toBe(0);
  });
});

describe('a ticket signed by the authority', () => {
  it('verifies for any concert, without a certificate', async () => {
    const code = await signTicket(
      claim({ kind: 'confirmed', concertId: 'jazz-evening', signer: authoritySigner(authority.keyId) }),
      authority.keys.privateKey,
    );
    const verdict = await verifyTicketCode(code, trust, atTheGate);
    expect(verdict).toEqual({
      ok: true,
      claim: claim({
        kind: 'confirmed',
        concertId: 'jazz-evening',
        signer: authoritySigner(authority.keyId),
      }),
    });
  });

  it('names an unknown signer when the authority key is not held', async () => {
    const code = await signTicket(claim({ signer: authoritySigner('nobody') }), authority.keys.privateKey);
    expect(await verifyTicketCode(code, trust, atTheGate)).toEqual({ ok: false, reason: 'unknown_signer' });
  });
});

describe('unreadable text', () => {
  it.each([
    ['empty', ''],
    ['not ours', 'https://example.com/ticket/1'],
    ['no signature', 'SD1.eyJhIjoxfQ'],
    ['three parts', 'SD1.a.b.c'],
    ['bad base64', 'SD1.***.***'],
    ['short signature', `SD1.${toBase64url(new TextEncoder().encode('{}'))}.AAAA`],
  ])('%s', async (_what, text) => {
    expect(await verifyTicketCode(text, trust, atTheGate)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('a signed claim with a missing field or an unknown kind', async () => {
    const code = await signTicket(claim({ kind: 'vip' as TicketClaim['kind'] }), desk.privateKey);
    expect(await verifyTicketCode(code, trust, atTheGate)).toEqual({ ok: false, reason: 'unreadable' });
  });
});

describe('base64url', () => {
  it('reads back what it wrote, and only the canonical spelling', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = toBase64url(bytes);
        expect(fromBase64url(text)).toEqual(bytes);
      }),
    );
    // 'AB' and 'AA' differ only in unused bits: one decodes, the other does not.
    expect(fromBase64url('AA')).toEqual(new Uint8Array([0]));
    expect(fromBase64url('AB')).toBeUndefined();
  });
});

describe('any change to a code', () => {
  it('makes it not ok: every character, replaced by any other', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: code.length - 1 }),
        fc.integer({ min: 1, max: 0xffff }),
        async (index, char) => {
          const replacement = String.fromCharCode(char);
          fc.pre(replacement !== code[index]);
          const changed = code.slice(0, index) + replacement + code.slice(index + 1);
          expect((await verifyTicketCode(changed, trust, atTheGate)).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('makes it not ok: any byte of the signed claim or the signature flipped', async () => {
    const code = await signTicket(claim(), desk.privateKey);
    const [, payload = '', signature = ''] = code.split('.');
    const parts = [fromBase64url(payload), fromBase64url(signature)];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (which, at, mask) => {
          const bytes = new Uint8Array(parts[which] ?? []);
          const index = at % bytes.length;
          bytes[index] = (bytes[index] ?? 0) ^ mask;
          const text =
            which === 0 ? `SD1.${toBase64url(bytes)}.${signature}` : `SD1.${payload}.${toBase64url(bytes)}`;
          expect((await verifyTicketCode(text, trust, atTheGate)).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('speed', () => {
  it('verifies a scanned code in about a millisecond or less (keys imported and certificates checked once)', async () => {
    const codes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => signTicket(claim({ ticketId: `t${i}` }), desk.privateKey)),
    );
    const start = performance.now();
    for (const code of codes) expect((await verifyTicketCode(code, trust, atTheGate)).ok).toBe(true);
    // Generous for a shared CI core; typically about 0.3 ms each.
    expect((performance.now() - start) / codes.length).toBeLessThan(5);
  });
});
