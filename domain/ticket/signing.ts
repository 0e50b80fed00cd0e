// Tickets that verify offline. A ticket's QR text is its claim (id, concert, level, kind, entry window, signer) and an
// Ed25519 signature, by the authority's key or by a desk's key that the authority certified for the concert. A scanner
// that holds the trust events (the authority's public keys, the certificates, the revocations) checks any ticket
// without the network, including one a desk sold offline a minute ago. WebCrypto only: runs in Node and the browser
// (a gate may bring a synchronous Ed25519 check of its own for its verdicts: verifyTicketCodeNow).
import type { CertificateBody } from './trust-events';

export type TicketKind = 'confirmed' | 'guaranteed' | 'provisional';
const ticketKinds: readonly string[] = ['confirmed', 'guaranteed', 'provisional'] satisfies TicketKind[];

/** What a ticket's QR code says. Times are ISO instants. */
export type TicketClaim = {
  ticketId: string;
  concertId: string;
  level: string;
  kind: TicketKind;
  /** The concert's entry window (e.g. doors − 6 h … start + 12 h). */
  validFrom: string;
  validUntil: string;
  /** 'authority:<keyId>' | 'desk:<certificateId>' */
  signer: string;
  /**
   * When it was signed, on the authority's clock as the signer knows it: a desk's certificate must have been live then
   * (not at the scan: a ticket sold a month ahead stays valid after the week its certificate lasted).
   */
  signedAt: string;
};

export type TicketCodeRefusal =
  | 'unreadable'
  | 'forged'
  | 'unknown_signer'
  | 'revoked'
  | 'certificate_expired'
  | 'out_of_scope'
  | 'outside_window';

export type TicketCodeVerdict = { ok: true; claim: TicketClaim } | { ok: false; reason: TicketCodeRefusal };

const algorithm = { name: 'Ed25519' } as const;
const codePrefix = 'SD1.';
const claimFields = [
  'ticketId',
  'concertId',
  'level',
  'kind',
  'validFrom',
  'validUntil',
  'signer',
  'signedAt',
] as const;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

export const authoritySigner = (keyId: string): string => `authority:${keyId}`;
export const deskSigner = (certificateId: string): string => `desk:${certificateId}`;

// ---- text encodings -------------------------------------------------------------------------------------------------

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const values = new Int16Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
const char = (value: number): string => alphabet.charAt(value);

export function toBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += char(n >> 18) + char((n >> 12) & 63) + char((n >> 6) & 63) + char(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += char(n >> 18) + char((n >> 12) & 63);
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += char(n >> 18) + char((n >> 12) & 63) + char((n >> 6) & 63);
  }
  return out;
}

/**
 * Decodes unpadded base64url, or undefined. Only the one canonical spelling of some bytes is read: unused low bits
 * must be zero, so no two texts decode to the same bytes (a changed character is never silently the same ticket).
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (values[code] ?? -1) : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[j++] = (buffer >> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return bytes;
}

/** JSON with keys in code-unit order at every level: one text per value, so signer and verifier sign the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// ---- keys -----------------------------------------------------------------------------------------------------------

/** A fresh Ed25519 key pair; the private key cannot be exported unless asked (a desk's key never leaves its device). */
export async function generateSigningKey(extractable = false): Promise<CryptoKeyPair> {
  return await subtle().generateKey(algorithm, extractable, ['sign', 'verify']);
}

/** base64url of the raw 32 bytes of a public key. */
export async function publicKeyText(key: CryptoKey): Promise<string> {
  return toBase64url(new Uint8Array(await subtle().exportKey('raw', key)));
}

/** The raw bytes of a public key's text, or undefined when it is not base64url of 32 bytes. */
export function publicKeyBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length !== 43) return undefined;
  const bytes = fromBase64url(text);
  return bytes?.length === 32 ? bytes : undefined;
}

export async function importPublicKey(text: string): Promise<CryptoKey | undefined> {
  const bytes = publicKeyBytes(text);
  if (!bytes) return undefined;
  try {
    return await subtle().importKey('raw', bytes, algorithm, false, ['verify']);
  } catch {
    return undefined;
  }
}

/** A short, stable name of a public key: the first 16 characters of base64url(SHA-256 of its raw bytes). */
export async function keyIdOf(publicKey: string): Promise<string> {
  const bytes = publicKeyBytes(publicKey);
  if (!bytes) throw new Error('not an Ed25519 public key (base64url of 32 bytes)');
  return toBase64url(new Uint8Array(await subtle().digest('SHA-256', bytes))).slice(0, 16);
}

async function signText(text: string, privateKey: CryptoKey): Promise<string> {
  return toBase64url(new Uint8Array(await subtle().sign(algorithm, privateKey, utf8.encode(text))));
}

// ---- tickets --------------------------------------------------------------------------------------------------------

/** The QR text: 'SD1.' + base64url(canonical JSON of the claim) + '.' + base64url(64-byte Ed25519 signature). */
export async function signTicket(claim: TicketClaim, privateKey: CryptoKey): Promise<string> {
  const body = canonicalJson(pickClaim(claim));
  const signature = await signText(body, privateKey);
  return `${codePrefix}${toBase64url(utf8.encode(body))}.${signature}`;
}

const pickClaim = (claim: TicketClaim): TicketClaim => ({
  ticketId: claim.ticketId,
  concertId: claim.concertId,
  level: claim.level,
  kind: claim.kind,
  validFrom: claim.validFrom,
  validUntil: claim.validUntil,
  signer: claim.signer,
  signedAt: claim.signedAt,
});

/** Reads a scanned text as its claim, the exact bytes signed and the signature, or undefined. No signature check. */
export function readTicketCode(
  text: string,
): { claim: TicketClaim; signed: Uint8Array<ArrayBuffer>; signature: Uint8Array<ArrayBuffer> } | undefined {
  if (!text.startsWith(codePrefix) || text.length > 2000) return undefined;
  const dot = text.indexOf('.', codePrefix.length);
  if (dot < 0 || text.indexOf('.', dot + 1) >= 0) return undefined;
  const signed = fromBase64url(text.slice(codePrefix.length, dot));
  const signature = fromBase64url(text.slice(dot + 1));
  if (!signed || signature?.length !== 64) return undefined;
  let json: string;
  let parsed: unknown;
  try {
    json = utf8Strict.decode(signed);
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  const claim = asClaim(parsed);
  // Only the canonical text of a claim is a ticket: no reordered keys, spaces or extra fields beside the signed ones.
  if (!claim || canonicalJson(claim) !== json) return undefined;
  return { claim, signed, signature };
}

function asClaim(value: unknown): TicketClaim | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const field of claimFields) {
    const v = record[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) return undefined;
  }
  const claim = record as TicketClaim;
  if (!ticketKinds.includes(claim.kind)) return undefined;
  if ([claim.validFrom, claim.validUntil, claim.signedAt].some((t) => Number.isNaN(Date.parse(t))))
    return undefined;
  return claim;
}

// ---- trust ----------------------------------------------------------------------------------------------------------

export type Certificate = CertificateBody & { signature: string };

/** A public key as WebCrypto takes it (`key`) and as its raw 32 bytes (`raw`, for a synchronous verifier). */
type TrustedKey = { keyId: string; publicKey: string; key: CryptoKey; raw: Uint8Array<ArrayBuffer> };
type TrustedCertificate = {
  certificate: Certificate;
  key: CryptoKey;
  raw: Uint8Array<ArrayBuffer>;
  concertIds: ReadonlySet<string>;
  notBefore: number;
  notAfter: number;
};

/**
 * What a device trusts, built from the catalogue's trust events: the authority's keys and the desk certificates
 * verified against them (keys imported once), the revocations, and certificates waiting for their authority key.
 */
export type Trust = {
  readonly authorityKeys: ReadonlyMap<string, TrustedKey>;
  readonly certificates: ReadonlyMap<string, TrustedCertificate>;
  /** certificateId → revokedAt */
  readonly revoked: ReadonlyMap<string, string>;
  /** Certificates whose authority key is not known yet: checked again when it arrives. */
  readonly waiting: ReadonlyMap<string, Certificate>;
  /** Certificates checked and found not signed by the authority they name: never trusted, never checked again. */
  readonly unverifiable: ReadonlySet<string>;
};

export const emptyTrust = (): Trust => ({
  authorityKeys: new Map(),
  certificates: new Map(),
  revoked: new Map(),
  waiting: new Map(),
  unverifiable: new Set(),
});

/** The authority's signature over a certificate body (base64url), as DeskKeyCertified carries it. */
export async function signCertificate(body: CertificateBody, privateKey: CryptoKey): Promise<string> {
  return signText(canonicalJson(certificateBodyOf(body)), privateKey);
}

const certificateBodyOf = (c: CertificateBody): CertificateBody => ({
  certificateId: c.certificateId,
  requestId: c.requestId,
  deviceId: c.deviceId,
  publicKey: c.publicKey,
  concertIds: c.concertIds,
  notBefore: c.notBefore,
  notAfter: c.notAfter,
  authorityKeyId: c.authorityKeyId,
});

type TrustEvent = { type: string; data: unknown };

/**
 * Folds the trust events (AuthorityKeyPublished, DeskKeyCertified, DeskCertificateRevoked; others are skipped) into a
 * new trust. Imports keys and verifies each certificate's authority signature once. Unverifiable certificates are
 * ignored. The data is expected as the catalogue validated it, and the events as the trust stream's chain accepted
 * them (followChain): a device folds its log through domain/desk/trust-chain.ts, so an orphan vouches for nothing.
 */
export async function addTrustEvents(trust: Trust, events: Iterable<TrustEvent>): Promise<Trust> {
  const authorityKeys = new Map(trust.authorityKeys);
  const certificates = new Map(trust.certificates);
  const revoked = new Map(trust.revoked);
  const waiting = new Map(trust.waiting);
  const unverifiable = new Set(trust.unverifiable);
  for (const { type, data } of events) {
    if (type === 'AuthorityKeyPublished') {
      const { keyId, publicKey } = data as { keyId: string; publicKey: string };
      if (authorityKeys.has(keyId)) continue;
      const key = await importPublicKey(publicKey);
      const raw = publicKeyBytes(publicKey);
      if (key && raw && (await keyIdOf(publicKey)) === keyId)
        authorityKeys.set(keyId, { keyId, publicKey, key, raw });
    } else if (type === 'DeskKeyCertified') {
      const certificate = data as Certificate;
      const { certificateId } = certificate;
      if (!certificates.has(certificateId) && !unverifiable.has(certificateId))
        waiting.set(certificateId, certificate);
    } else if (type === 'DeskCertificateRevoked') {
      const { certificateId, revokedAt } = data as { certificateId: string; revokedAt: string };
      if (!revoked.has(certificateId)) revoked.set(certificateId, revokedAt);
    }
  }
  for (const [certificateId, certificate] of waiting) {
    const authority = authorityKeys.get(certificate.authorityKeyId);
    if (!authority) continue;
    waiting.delete(certificateId);
    const checked = await checkCertificate(certificate, authority.key);
    if (checked) certificates.set(certificateId, checked);
    else unverifiable.add(certificateId);
  }
  return { authorityKeys, certificates, revoked, waiting, unverifiable };
}

async function checkCertificate(
  certificate: Certificate,
  authorityKey: CryptoKey,
): Promise<TrustedCertificate | undefined> {
  const signature = fromBase64url(certificate.signature);
  const key = await importPublicKey(certificate.publicKey);
  const raw = publicKeyBytes(certificate.publicKey);
  const notBefore = Date.parse(certificate.notBefore);
  const notAfter = Date.parse(certificate.notAfter);
  if (signature?.length !== 64 || !key || !raw || Number.isNaN(notBefore) || Number.isNaN(notAfter))
    return undefined;
  const body = utf8.encode(canonicalJson(certificateBodyOf(certificate)));
  if (!(await subtle().verify(algorithm, authorityKey, signature, body))) return undefined;
  return { certificate, key, raw, concertIds: new Set(certificate.concertIds), notBefore, notAfter };
}

/** The certificates a device may sign with at `at`: verified, not revoked, inside their validity. */
export function liveCertificates(trust: Trust, at: string): Certificate[] {
  const time = Date.parse(at);
  return [...trust.certificates.values()]
    .filter(
      (c) => !trust.revoked.has(c.certificate.certificateId) && c.notBefore <= time && time <= c.notAfter,
    )
    .map((c) => c.certificate);
}

/**
 * The certificate a desk signs a ticket for `concertId` with at `at`: live, of this public key, covering the concert;
 * the one that lasts longest when there are several. Undefined: the desk cannot sign for it (yet).
 */
export function certificateFor(
  trust: Trust,
  publicKey: string,
  concertId: string,
  at: string,
): Certificate | undefined {
  return liveCertificates(trust, at)
    .filter((c) => c.publicKey === publicKey && c.concertIds.includes(concertId))
    .sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter))[0];
}

/**
 * Verifies a scanned text offline at `at`: shape, signer known, signature, signer not revoked, certificate live when
 * the ticket was signed and covering the concert, and the ticket's own entry window at `at`. One signature check,
 * by WebCrypto: its answer comes back as a task of its own, after whatever work the page had queued.
 */
export async function verifyTicketCode(text: string, trust: Trust, at: string): Promise<TicketCodeVerdict> {
  const code = codeToCheck(text, trust, at);
  if ('ok' in code) return code;
  const { signer, signature, signed } = code;
  if (!(await subtle().verify(algorithm, signer.key, signature, signed))) return refused('forged');
  return checkSigned(code, trust);
}

/** An Ed25519 check that answers at once: raw 32-byte public key, 64-byte signature, the signed bytes. */
export type SignatureCheck = (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) => boolean;

/**
 * The same verdict as verifyTicketCode, with a synchronous signature check (a gate's verdict then waits for nothing
 * the page has queued: renderer/lib/ed25519.ts).
 */
export function verifyTicketCodeNow(
  text: string,
  trust: Trust,
  at: string,
  verify: SignatureCheck,
): TicketCodeVerdict {
  const code = codeToCheck(text, trust, at);
  if ('ok' in code) return code;
  const { signer, signature, signed } = code;
  if (!verify(signer.raw, signature, signed)) return refused('forged');
  return checkSigned(code, trust);
}

type CodeToCheck = NonNullable<ReturnType<typeof readTicketCode>> & { signer: Signer; time: number };

/** What is checked before the signature: the shape, the scanner's clock, a known signer. */
function codeToCheck(text: string, trust: Trust, at: string): CodeToCheck | TicketCodeVerdict {
  const read = readTicketCode(text);
  if (!read) return refused('unreadable');
  const time = Date.parse(at);
  // A scanner whose clock reads nonsense admits nobody rather than everybody.
  if (Number.isNaN(time)) return refused('outside_window');
  const signer = signerOf(read.claim.signer, trust);
  if (!signer) return refused('unknown_signer');
  return { ...read, signer, time };
}

/** What is checked once the signature holds: the certificate (revoked, live when signed, scope) and the window. */
function checkSigned({ claim, signer, time }: CodeToCheck, trust: Trust): TicketCodeVerdict {
  if (signer.certificate) {
    const { certificate, concertIds, notBefore, notAfter } = signer.certificate;
    if (trust.revoked.has(certificate.certificateId)) return refused('revoked');
    // The certificate vouches for what was signed while it was live; revoking it (above) withdraws every ticket.
    const signedAt = Date.parse(claim.signedAt);
    if (signedAt < notBefore - certificateClockSkewMs || signedAt > notAfter)
      return refused('certificate_expired');
    if (!concertIds.has(claim.concertId)) return refused('out_of_scope');
  }
  if (time < Date.parse(claim.validFrom) || time > Date.parse(claim.validUntil))
    return refused('outside_window');
  return { ok: true, claim };
}

/**
 * A certificate starts on the authority's clock, which may run a little ahead of the scanner's: a ticket sold the
 * minute the certificate came is not refused for it.
 */
export const certificateClockSkewMs = 5 * 60_000;

const refused = (reason: TicketCodeRefusal): TicketCodeVerdict => ({ ok: false, reason });

type Signer = { key: CryptoKey; raw: Uint8Array<ArrayBuffer>; certificate?: TrustedCertificate };

function signerOf(signer: string, trust: Trust): Signer | undefined {
  if (signer.startsWith('authority:')) {
    const authority = trust.authorityKeys.get(signer.slice('authority:'.length));
    return authority && { key: authority.key, raw: authority.raw };
  }
  if (signer.startsWith('desk:')) {
    const certificate = trust.certificates.get(signer.slice('desk:'.length));
    return certificate && { key: certificate.key, raw: certificate.raw, certificate };
  }
  return undefined;
}
