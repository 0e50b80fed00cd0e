// A device trusts what the trust stream's chain says, as the authority wrote it: a certificate off the chain (an
// orphan: a squatter, a conflict's loser) does not make a desk's ticket verify, and a revocation off the chain
// withdraws nothing; a decision that arrives before its predecessor counts once the predecessor is there.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyEventDoc } from '../events/catalogue';
import { decisionDocId } from '../log/stream';
import {
  deskSigner,
  generateSigningKey,
  keyIdOf,
  publicKeyText,
  signCertificate,
  signTicket,
  verifyTicketCode,
} from '../ticket/signing';
import type { TicketClaim, Trust } from '../ticket/signing';
import type { CertificateBody } from '../ticket/trust-events';
import { trustStream } from '../ticket/trust-events';
import { trustChain, trustFromStream } from './trust-chain';

const atTheGate = '2027-06-27T18:30:00.000Z';
const claim: TicketClaim = {
  ticketId: 'sale:01J0000000000000000000000A:t1',
  concertId: 'rock-night',
  level: 'Golden Circle',
  kind: 'guaranteed',
  validFrom: '2027-06-27T12:00:00.000Z',
  validUntil: '2027-06-28T06:00:00.000Z',
  signer: deskSigner('cert-1'),
  signedAt: '2027-06-26T09:00:00.000Z',
};

/** A decision of the trust stream at `position`, after `prev`, as the authority writes it. */
const decision = (
  position: number,
  prev: string | null,
  decisionId: string,
  type: string,
  data: unknown,
): AnyEventDoc =>
  ({
    _id: decisionDocId(trustStream, position),
    type,
    v: 1,
    stream: trustStream,
    data,
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: '2027-06-25T00:00:00.000Z',
      correlationId: `cause-${decisionId}`,
      causationId: `cause-${decisionId}`,
      position,
      prev,
      decisionId,
      authorityId: 'test',
    },
  }) as AnyEventDoc;

let published: AnyEventDoc;
let certified: (position: number, prev: string | null, decisionId: string) => AnyEventDoc;
let code: string;

beforeAll(async () => {
  const authority = await generateSigningKey();
  const publicKey = await publicKeyText(authority.publicKey);
  const keyId = await keyIdOf(publicKey);
  const desk = await generateSigningKey();
  const body: CertificateBody = {
    certificateId: 'cert-1',
    requestId: 'req-1',
    deviceId: 'desk-1',
    publicKey: await publicKeyText(desk.publicKey),
    concertIds: ['rock-night'],
    notBefore: '2027-06-25T00:00:00.000Z',
    notAfter: '2027-07-02T00:00:00.000Z',
    authorityKeyId: keyId,
  };
  const signature = await signCertificate(body, authority.privateKey);
  published = decision(0, null, 'k', 'AuthorityKeyPublished', {
    keyId,
    publicKey,
    publishedAt: '2027-06-01T00:00:00.000Z',
  });
  certified = (position, prev, decisionId) =>
    decision(position, prev, decisionId, 'DeskKeyCertified', { ...body, signature });
  code = await signTicket(claim, desk.privateKey);
});

const verify = (trust: Trust) => verifyTicketCode(code, trust, atTheGate);

const revoked = (position: number, prev: string, decisionId: string) =>
  decision(position, prev, decisionId, 'DeskCertificateRevoked', {
    certificateId: 'cert-1',
    revokedAt: '2027-06-26T00:00:00.000Z',
    reason: 'stolen',
  });

describe('the trust a device folds from the trust stream', () => {
  it('verifies a ticket under a certificate on the chain', async () => {
    const trust = await trustFromStream([certified(1, 'k', 'c'), published]);
    await expect(verify(trust)).resolves.toEqual({ ok: true, claim });
  });

  it('does not verify a ticket under an orphan certificate (its predecessor is not the chain’s)', async () => {
    const trust = await trustFromStream([published, certified(1, 'elsewhere', 'c')]);
    expect(trust.certificates.size).toBe(0);
    await expect(verify(trust)).resolves.toEqual({ ok: false, reason: 'unknown_signer' });
  });

  it('ignores a revocation off the chain, and follows one that is on it', async () => {
    const squatted = await trustFromStream([published, certified(1, 'k', 'c'), revoked(2, 'k', 'r')]);
    await expect(verify(squatted)).resolves.toMatchObject({ ok: true });
    const onChain = await trustFromStream([published, certified(1, 'k', 'c'), revoked(2, 'c', 'r')]);
    await expect(verify(onChain)).resolves.toEqual({ ok: false, reason: 'revoked' });
  });

  it('waits for a decision’s predecessor, then folds both', async () => {
    const chain = trustChain();
    const early = await chain.add([certified(1, 'k', 'c')]);
    expect(early.authorityKeys.size + early.certificates.size).toBe(0);
    await expect(verify(await chain.add([published]))).resolves.toMatchObject({ ok: true });
  });
});

describe('the trust at once (settled)', () => {
  it('is there when nothing is being folded, and not while something is', async () => {
    const chain = trustChain();
    expect(chain.settled()?.authorityKeys.size).toBe(0);
    const first = chain.add([published]);
    // A key being imported: a scan must wait for it rather than be judged without it.
    expect(chain.settled()).toBeUndefined();
    const second = chain.add([certified(1, 'k', 'c')]);
    // The first fold's answer is out of date once a second one started: still nothing at once.
    await first;
    expect(chain.settled()).toBeUndefined();
    const trust = await second;
    expect(chain.settled()).toBe(trust);
    expect(await chain.current()).toBe(trust);
    // Nothing of the trust stream: nothing to fold, and the trust stays settled.
    void chain.add([]);
    expect(chain.settled()).toBe(trust);
  });
});
