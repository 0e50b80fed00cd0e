// When the desk asks for its key to be certified, and which certificate it signs with: decided on the catalogue's
// trust events it holds. (Storing the key in IndexedDB runs in the browser: the print e2e covers it.)
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import {
  addTrustEvents,
  emptyTrust,
  generateSigningKey,
  keyIdOf,
  publicKeyText,
  signCertificate,
} from '../../domain/ticket/signing';
import type { Trust } from '../../domain/ticket/signing';
import {
  askAgainAfterMs,
  certificationToAsk,
  deskCertificate,
  renewBeforeMs,
  workedConcerts,
} from './desk-key';

const deviceId = 'desk-a';
const publicKey = 'k'.repeat(43);
const now = '2027-04-30T12:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(now) + ms).toISOString();
let counter = 0;
const id = () => `01K${String(++counter).padStart(23, '0')}`;

const requested = (concertIds: string[], at = now, key = publicKey): AnyEventDoc => {
  const requestId = id();
  return {
    _id: requestId,
    type: 'DeskKeyCertificationRequested',
    v: 1,
    stream: 'trust',
    data: {
      requestId,
      deviceId,
      publicKey: key,
      concertIds,
      requestedAt: at,
      staff: { userId: 'u', role: 'desk' },
    },
    meta: { deviceId, userId: 'u', recordedAt: at, correlationId: requestId, causationId: requestId },
  };
};

const decided = (type: string, data: Record<string, unknown>): AnyEventDoc =>
  ({
    _id: `trust:${id()}`,
    type,
    v: 1,
    stream: 'trust',
    data,
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: now,
      correlationId: 'c',
      causationId: 'c',
      position: 1,
      prev: null,
      decisionId: id(),
      authorityId: 'a',
    },
  }) as unknown as AnyEventDoc;

const certified = (request: AnyEventDoc, concertIds: string[], notAfter: string, key = publicKey) =>
  decided('DeskKeyCertified', {
    certificateId: id(),
    requestId: request._id,
    deviceId,
    publicKey: key,
    concertIds,
    notBefore: now,
    notAfter,
    authorityKeyId: 'auth',
    signature: 's'.repeat(86),
  });

const ask = (docs: AnyEventDoc[], concertIds: string[], at = now) =>
  certificationToAsk({ docs, deviceId, publicKey, concertIds, at });

describe('asking for a certificate', () => {
  it('asks for every concert the desk works when it holds no certificate', () => {
    expect(ask([], ['a', 'b'])).toEqual(['a', 'b']);
    expect(ask([], [])).toBeUndefined();
  });

  it('waits for the answer to a request, however long it takes', () => {
    const request = requested(['a', 'b']);
    expect(ask([request], ['a', 'b'], later(10 * askAgainAfterMs))).toBeUndefined();
  });

  it('asks for all worked concerts again when a new one is not covered', () => {
    const request = requested(['a']);
    const docs = [request, certified(request, ['a'], later(7 * 24 * 3_600_000))];
    expect(ask(docs, ['a'])).toBeUndefined();
    expect(ask(docs, ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('renews a certificate a day before it ends', () => {
    const request = requested(['a']);
    const docs = [request, certified(request, ['a'], later(2 * 24 * 3_600_000))];
    expect(ask(docs, ['a'], later(2 * 24 * 3_600_000 - renewBeforeMs - 60_000))).toBeUndefined();
    expect(ask(docs, ['a'], later(2 * 24 * 3_600_000 - renewBeforeMs + 60_000))).toEqual(['a']);
  });

  it('asks again an hour after a refusal, not at once', () => {
    const request = requested(['a']);
    const docs = [
      request,
      decided('DeskKeyCertificationRefused', {
        requestId: request._id,
        deviceId,
        code: 'no_concert',
        message: 'x',
      }),
    ];
    expect(ask(docs, ['a'], later(askAgainAfterMs - 1000))).toBeUndefined();
    expect(ask(docs, ['a'], later(askAgainAfterMs + 1000))).toEqual(['a']);
  });

  it('does not count another key’s requests or certificates', () => {
    const other = 'o'.repeat(43);
    const request = requested(['a'], now, other);
    expect(ask([request, certified(request, ['a'], later(7 * 24 * 3_600_000), other)], ['a'])).toEqual(['a']);
  });

  it('works the concerts that exist and are not cancelled', () => {
    const concert = (
      concertId: string,
      status: 'requested' | 'draft' | 'published' | 'cancelled' | 'rejected',
    ) => ({ concertId, status }) as Parameters<typeof workedConcerts>[0][number];
    expect(
      workedConcerts([
        concert('z', 'published'),
        concert('a', 'draft'),
        concert('c', 'cancelled'),
        concert('r', 'requested'),
        concert('x', 'rejected'),
      ]),
    ).toEqual(['a', 'z']);
  });
});

describe('the certificate the desk signs with', () => {
  let trust: Trust;
  let deskKey: string;
  const ids = { current: 'cert-now', future: 'cert-future', revoked: 'cert-revoked', ended: 'cert-ended' };

  beforeAll(async () => {
    const authority = await generateSigningKey(true);
    const authorityKey = await publicKeyText(authority.publicKey);
    const authorityKeyId = await keyIdOf(authorityKey);
    deskKey = await publicKeyText((await generateSigningKey()).publicKey);
    const certificate = async (
      certificateId: string,
      concertIds: string[],
      notBefore: string,
      notAfter: string,
    ) => {
      const body = {
        certificateId,
        requestId: `${certificateId}-request`,
        deviceId,
        publicKey: deskKey,
        concertIds,
        notBefore,
        notAfter,
        authorityKeyId,
      };
      return {
        type: 'DeskKeyCertified',
        data: { ...body, signature: await signCertificate(body, authority.privateKey) },
      };
    };
    trust = await addTrustEvents(emptyTrust(), [
      {
        type: 'AuthorityKeyPublished',
        data: { keyId: authorityKeyId, publicKey: authorityKey, publishedAt: now },
      },
      await certificate(ids.current, ['a'], now, later(3 * 24 * 3_600_000)),
      // Dated on an authority clock a few minutes ahead of the desk's.
      await certificate(ids.future, ['b'], later(5 * 60_000), later(7 * 24 * 3_600_000)),
      await certificate(ids.revoked, ['c'], now, later(7 * 24 * 3_600_000)),
      await certificate(ids.ended, ['d'], later(-8 * 24 * 3_600_000), later(-24 * 3_600_000)),
      {
        type: 'DeskCertificateRevoked',
        data: { certificateId: ids.revoked, revokedAt: now, reason: 'stolen' },
      },
    ]);
  });

  const signerOf = (concertId: string, key = deskKey) =>
    deskCertificate(trust, { deviceId, publicKey: key }, concertId, now)?.certificateId;

  it('is this key’s certificate covering the concert, even dated a little ahead of the desk’s clock', () => {
    expect(signerOf('a')).toBe(ids.current);
    expect(signerOf('b')).toBe(ids.future);
  });

  it('is none for a revoked or ended certificate, another concert or another key', () => {
    expect(signerOf('c')).toBeUndefined();
    expect(signerOf('d')).toBeUndefined();
    expect(signerOf('e')).toBeUndefined();
    expect(signerOf('a', publicKey)).toBeUndefined();
  });
});
