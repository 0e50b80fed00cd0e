// The trust that lets a scanner verify a ticket offline: the authority's public keys, and the desk keys it certified
// for some concerts and a few days (or revoked). All of it lives in the catalogue, in one decision stream `trust`, so
// every device holds it. The rules that decide it are in trust-authority.ts; verifying a ticket is signing.ts.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';
import { staffSchema } from '../reservation/events';

/** The decision stream of the catalogue that holds every trust decision. */
export const trustStream = 'trust';

const id = z.string().min(1).max(100);
/** A public key as text (base64url of the raw 32 bytes). Loose on purpose: a malformed key is refused with a code. */
const keyText = z.string().min(1).max(200);
const signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'base64url of a 64-byte Ed25519 signature');

/** Why a desk's key was not certified: shown to the desk in one word and one sentence. */
export const certificationRefusalCodes = [
  /** Only a desk sells, so only a desk's key signs tickets. */
  'not_a_desk',
  /** The request names another device than the one that wrote it. */
  'device_mismatch',
  /** Not base64url of 32 bytes, so not an Ed25519 public key. */
  'malformed_key',
  /** The key is the authority's, or certified for another device. */
  'key_in_use',
  /** None of the concerts asked for exists and is not cancelled. */
  'no_concert',
] as const;
export type CertificationRefusalCode = (typeof certificationRefusalCodes)[number];

export const revocationRefusalCodes = ['not_an_organizer', 'unknown_certificate', 'already_revoked'] as const;
export type RevocationRefusalCode = (typeof revocationRefusalCodes)[number];

export const trustFactSchemas = {
  /** A desk asks for its key to be certified for the concerts it works (written in the catalogue). */
  DeskKeyCertificationRequested: z.object({
    /** The fact's own id. */
    requestId: id,
    deviceId: id,
    publicKey: keyText,
    concertIds: z.array(concertIdSchema).max(200),
    requestedAt: isoInstant,
    /** Who asked: the authority certifies desks only. */
    staff: staffSchema,
  }),
  /** An admin or organizer withdraws a certificate (a lost or stolen desk): its tickets are refused from then on. */
  DeskCertificateRevocationRequested: z.object({
    certificateId: id,
    reason: z.string().min(1).max(500),
    staff: staffSchema,
  }),
} as const;

/** What the authority signs in a certificate: every field of DeskKeyCertified but the signature. */
export const certificateBodySchema = z.object({
  certificateId: id,
  requestId: id,
  deviceId: id,
  publicKey: keyText,
  concertIds: z.array(concertIdSchema).min(1).max(200),
  notBefore: isoInstant,
  notAfter: isoInstant,
  authorityKeyId: id,
});
export type CertificateBody = z.infer<typeof certificateBodySchema>;

export const trustDecisionSchemas = {
  /** The authority's public key: published once per key, at the sync server's start. */
  AuthorityKeyPublished: z.object({ keyId: id, publicKey: keyText, publishedAt: isoInstant }),
  /** A desk's key, certified for some concerts and at most 7 days; `signature` is the authority's over the rest. */
  DeskKeyCertified: certificateBodySchema.extend({ signature }),
  DeskKeyCertificationRefused: z.object({
    requestId: id,
    deviceId: id,
    code: z.enum(certificationRefusalCodes),
    message: z.string().max(500),
  }),
  DeskCertificateRevoked: z.object({ certificateId: id, revokedAt: isoInstant, reason: z.string().max(500) }),
  DeskCertificateRevocationRefused: z.object({
    certificateId: id,
    code: z.enum(revocationRefusalCodes),
    message: z.string().max(500),
  }),
} as const;

export const trustEventSchemas = { ...trustFactSchemas, ...trustDecisionSchemas } as const;

export const trustEventWriters = {
  DeskKeyCertificationRequested: 'device',
  DeskCertificateRevocationRequested: 'device',
  AuthorityKeyPublished: 'authority',
  DeskKeyCertified: 'authority',
  DeskKeyCertificationRefused: 'authority',
  DeskCertificateRevoked: 'authority',
  DeskCertificateRevocationRefused: 'authority',
} as const satisfies Record<keyof typeof trustEventSchemas, 'device' | 'authority'>;

export type TrustFactType = keyof typeof trustFactSchemas;
export const trustFactTypes = Object.keys(trustFactSchemas) as TrustFactType[];
export type TrustDecisionType = keyof typeof trustDecisionSchemas;
export const trustDecisionTypes = Object.keys(trustDecisionSchemas) as TrustDecisionType[];
export const isTrustFactType = (type: string): type is TrustFactType => Object.hasOwn(trustFactSchemas, type);
export const isTrustDecisionType = (type: string): type is TrustDecisionType =>
  Object.hasOwn(trustDecisionSchemas, type);
