// The authority's rules for trust: which desk key it certifies (a desk's own, well-formed key, for the concerts it
// asked that exist and are not cancelled, for at most 7 days) and which certificate it revokes. Pure: the authority's
// time, its key id and the concerts' status come in; signing the certificate is the caller's (signing.ts).
import { publicKeyBytes } from './signing';
import type {
  CertificateBody,
  CertificationRefusalCode,
  RevocationRefusalCode,
  TrustDecisionType,
} from './trust-events';

/** How long a certificate lasts at most: a desk that stays offline longer asks again when it is back. */
export const certificateDays = 7;

export type TrustState = {
  /** keyId → public key */
  authorityKeys: Map<string, string>;
  /** certificateId → the device and key it certifies */
  certificates: Map<string, { deviceId: string; publicKey: string; revoked: boolean }>;
};

export const initialTrustState = (): TrustState => ({ authorityKeys: new Map(), certificates: new Map() });

/** Folds one accepted trust decision into the state (mutates it: one authority owns its state). */
export function evolveTrust(
  state: TrustState,
  event: { type: TrustDecisionType; data: unknown },
): TrustState {
  switch (event.type) {
    case 'AuthorityKeyPublished': {
      const { keyId, publicKey } = event.data as { keyId: string; publicKey: string };
      state.authorityKeys.set(keyId, publicKey);
      break;
    }
    case 'DeskKeyCertified': {
      const { certificateId, deviceId, publicKey } = event.data as CertificateBody;
      state.certificates.set(certificateId, { deviceId, publicKey, revoked: false });
      break;
    }
    case 'DeskCertificateRevoked': {
      const { certificateId } = event.data as { certificateId: string };
      const certificate = state.certificates.get(certificateId);
      if (certificate) certificate.revoked = true;
      break;
    }
    case 'DeskKeyCertificationRefused':
    case 'DeskCertificateRevocationRefused':
      break;
  }
  return state;
}

export type ConcertStatus = 'active' | 'cancelled' | 'unknown';

export type CertificationRequest = {
  requestId: string;
  deviceId: string;
  publicKey: string;
  concertIds: readonly string[];
  staff: { role: string };
};

export type CertificationDecision =
  | { type: 'DeskKeyCertified'; body: CertificateBody }
  | {
      type: 'DeskKeyCertificationRefused';
      data: { requestId: string; deviceId: string; code: CertificationRefusalCode; message: string };
    };

export const certificateIdFor = (factId: string): string => `cert-${factId}`;

/**
 * Decides a desk's request. `factId` is the request's fact id (the certificate's id comes from it: one fact, one
 * certificate); `writer` is the device that wrote the fact; `concerts` says, for each concert asked, whether it exists
 * and is not cancelled (as its own authority decided).
 */
export function decideCertification(
  request: CertificationRequest,
  context: {
    factId: string;
    writer: string;
    now: Date;
    authorityKeyId: string;
    concerts: ReadonlyMap<string, ConcertStatus>;
    state: TrustState;
  },
): CertificationDecision {
  const { requestId, deviceId, publicKey } = request;
  const refuse = (code: CertificationRefusalCode, message: string): CertificationDecision => ({
    type: 'DeskKeyCertificationRefused',
    data: { requestId, deviceId, code, message },
  });
  if (request.staff.role !== 'desk')
    return refuse(
      'not_a_desk',
      `Only a desk's key signs tickets; this request came from a ${request.staff.role}.`,
    );
  if (context.writer !== deviceId)
    return refuse(
      'device_mismatch',
      `Device ${context.writer} asked for device ${deviceId}'s key; a desk asks for its own.`,
    );
  if (!publicKeyBytes(publicKey))
    return refuse(
      'malformed_key',
      'The key is not an Ed25519 public key (base64url of 32 bytes). Make a new key.',
    );
  const inUse =
    [...context.state.authorityKeys.values()].includes(publicKey) ||
    [...context.state.certificates.values()].some(
      (c) => c.publicKey === publicKey && c.deviceId !== deviceId,
    );
  if (inUse) return refuse('key_in_use', 'This key belongs to someone else. Make a new key and ask again.');
  const concertIds = [...new Set(request.concertIds)]
    .filter((id) => context.concerts.get(id) === 'active')
    .sort();
  if (concertIds.length === 0)
    return refuse(
      'no_concert',
      request.concertIds.length === 0
        ? 'Name the concerts the desk sells for.'
        : `None of ${request.concertIds.join(', ')} is a concert on sale (unknown or cancelled).`,
    );
  const notAfter = new Date(context.now.getTime() + certificateDays * 24 * 60 * 60 * 1000);
  return {
    type: 'DeskKeyCertified',
    body: {
      certificateId: certificateIdFor(context.factId),
      requestId,
      deviceId,
      publicKey,
      concertIds,
      notBefore: context.now.toISOString(),
      notAfter: notAfter.toISOString(),
      authorityKeyId: context.authorityKeyId,
    },
  };
}

export type RevocationDecision =
  | { type: 'DeskCertificateRevoked'; data: { certificateId: string; revokedAt: string; reason: string } }
  | {
      type: 'DeskCertificateRevocationRefused';
      data: { certificateId: string; code: RevocationRefusalCode; message: string };
    };

export function decideRevocation(
  request: { certificateId: string; reason: string; staff: { role: string } },
  context: { now: Date; state: TrustState },
): RevocationDecision {
  const { certificateId } = request;
  const refuse = (code: RevocationRefusalCode, message: string): RevocationDecision => ({
    type: 'DeskCertificateRevocationRefused',
    data: { certificateId, code, message },
  });
  if (request.staff.role !== 'admin' && request.staff.role !== 'organizer')
    return refuse('not_an_organizer', 'Only an admin or an organizer revokes a desk certificate.');
  const certificate = context.state.certificates.get(certificateId);
  if (!certificate) return refuse('unknown_certificate', `No certificate ${certificateId} was issued.`);
  if (certificate.revoked)
    return refuse('already_revoked', `Certificate ${certificateId} is revoked already.`);
  return {
    type: 'DeskCertificateRevoked',
    data: { certificateId, revokedAt: context.now.toISOString(), reason: request.reason },
  };
}
