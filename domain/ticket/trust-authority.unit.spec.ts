// The authority's rules for desk keys: what it certifies, for how long, and what it refuses or revokes.
import { describe, expect, it } from 'vitest';
import {
  certificateDays,
  decideCertification,
  decideRevocation,
  evolveTrust,
  initialTrustState,
} from './trust-authority';
import type { CertificationRequest, ConcertStatus, TrustState } from './trust-authority';

const deskKey = 'A'.repeat(43);
const authorityKey = 'B'.repeat(42) + 'A';
const now = new Date('2027-06-20T10:00:00.000Z');
const concerts = new Map<string, ConcertStatus>([
  ['rock-night', 'active'],
  ['jazz-evening', 'active'],
  ['cancelled-gig', 'cancelled'],
]);

const request = (overrides: Partial<CertificationRequest> = {}): CertificationRequest => ({
  requestId: '01J0000000000000000000000R',
  deviceId: 'desk-1',
  publicKey: deskKey,
  concertIds: ['rock-night'],
  staff: { role: 'desk' },
  ...overrides,
});

const decide = (r: CertificationRequest, state: TrustState = initialTrustState(), writer = r.deviceId) =>
  decideCertification(r, { factId: r.requestId, writer, now, authorityKeyId: 'key-1', concerts, state });

describe('certifying a desk key', () => {
  it('certifies the live concerts asked for, sorted and once each, for 7 days from the authority time', () => {
    const decision = decide(
      request({ concertIds: ['rock-night', 'nowhere', 'cancelled-gig', 'jazz-evening', 'rock-night'] }),
    );
    expect(decision).toEqual({
      type: 'DeskKeyCertified',
      body: {
        certificateId: 'cert-01J0000000000000000000000R',
        requestId: '01J0000000000000000000000R',
        deviceId: 'desk-1',
        publicKey: deskKey,
        concertIds: ['jazz-evening', 'rock-night'],
        notBefore: '2027-06-20T10:00:00.000Z',
        notAfter: '2027-06-27T10:00:00.000Z',
        authorityKeyId: 'key-1',
      },
    });
    expect(certificateDays).toBe(7);
  });

  it.each([
    ['a scanner', request({ staff: { role: 'scanner' } }), 'not_a_desk'],
    ['a key that is not 32 bytes', request({ publicKey: 'AAAA' }), 'malformed_key'],
    ['a key that is not base64url', request({ publicKey: '*'.repeat(43) }), 'malformed_key'],
    ['only a cancelled concert', request({ concertIds: ['cancelled-gig'] }), 'no_concert'],
    ['no concert', request({ concertIds: [] }), 'no_concert'],
  ])('refuses %s', (_what, r, code) => {
    const decision = decide(r);
    expect(decision).toMatchObject({ type: 'DeskKeyCertificationRefused', data: { code } });
    if (decision.type === 'DeskKeyCertificationRefused') expect(decision.data.message).toMatch(/^[A-Z].*\.$/);
  });

  it("refuses a request written by another device than the desk's", () => {
    expect(decide(request(), initialTrustState(), 'desk-2')).toMatchObject({
      data: { code: 'device_mismatch' },
    });
  });

  it("refuses the authority's key, and a key certified for another desk; the same desk may ask again", () => {
    const state = initialTrustState();
    evolveTrust(state, { type: 'AuthorityKeyPublished', data: { keyId: 'key-1', publicKey: authorityKey } });
    expect(decide(request({ publicKey: authorityKey }), state)).toMatchObject({
      data: { code: 'key_in_use' },
    });
    const first = decide(request());
    if (first.type !== 'DeskKeyCertified') throw new Error('certified first');
    evolveTrust(state, { type: 'DeskKeyCertified', data: first.body });
    expect(decide(request({ deviceId: 'desk-2' }), state, 'desk-2')).toMatchObject({
      data: { code: 'key_in_use' },
    });
    expect(decide(request({ requestId: '01J0000000000000000000000S' }), state).type).toBe('DeskKeyCertified');
  });
});

describe('revoking a certificate', () => {
  const certified = (): TrustState => {
    const state = initialTrustState();
    const decision = decide(request());
    if (decision.type === 'DeskKeyCertified')
      evolveTrust(state, { type: 'DeskKeyCertified', data: decision.body });
    return state;
  };
  const certificateId = 'cert-01J0000000000000000000000R';

  it('revokes at the authority time, once', () => {
    const state = certified();
    const decision = decideRevocation(
      { certificateId, reason: 'stolen', staff: { role: 'organizer' } },
      { now, state },
    );
    expect(decision).toEqual({
      type: 'DeskCertificateRevoked',
      data: { certificateId, revokedAt: now.toISOString(), reason: 'stolen' },
    });
    evolveTrust(state, decision);
    expect(
      decideRevocation({ certificateId, reason: 'again', staff: { role: 'admin' } }, { now, state }),
    ).toMatchObject({ type: 'DeskCertificateRevocationRefused', data: { code: 'already_revoked' } });
  });

  it('refuses a desk, and a certificate never issued', () => {
    expect(
      decideRevocation({ certificateId, reason: 'x', staff: { role: 'desk' } }, { now, state: certified() }),
    ).toMatchObject({ data: { code: 'not_an_organizer' } });
    expect(
      decideRevocation(
        { certificateId: 'cert-x', reason: 'x', staff: { role: 'admin' } },
        { now, state: certified() },
      ),
    ).toMatchObject({ data: { code: 'unknown_certificate' } });
  });
});
