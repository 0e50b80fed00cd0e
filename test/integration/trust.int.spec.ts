// The keys that sign tickets, against the real store and sync server: the authority's key made once and published
// once whatever the restarts, a desk's key certified for the concerts it may sell (and the ticket it signs verifying
// offline), a revocation, and the requests the authority refuses.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monotonicFactory } from 'ulid';
import { concertDatabase, concertStream } from '../../domain/authority/concert-authority';
import type { DataOf, DecisionDoc, FactDoc } from '../../domain/events/catalogue';
import {
  addTrustEvents,
  deskSigner,
  emptyTrust,
  generateSigningKey,
  publicKeyText,
  signTicket,
  verifyTicketCode,
} from '../../domain/ticket/signing';
import { trustStream } from '../../domain/ticket/trust-events';
import { authorityKeyFile, readTrustStream } from '../../sync-server/authority/trust';
import type { PublishedTrust } from '../../sync-server/authority/trust';
import { catalogueDb, createAll } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { factMeta, readStream, setUpConcert, stopProcess, waitFor } from '../support/store';
import { useSpecStore } from '../support/spec-store';

const spec = useSpecStore();
const nextId = monotonicFactory();
const dataDirs: string[] = [];
const levels = [{ name: 'Regular', capacity: 100, price: 15_000 }];
const day = 24 * 60 * 60 * 1000;

afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const newDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'stagedoor-trust-'));
  dataDirs.push(dir);
  return dir;
};

type TrustFact = 'DeskKeyCertificationRequested' | 'DeskCertificateRevocationRequested';

/** A trust fact as a device writes it into the catalogue. */
async function write<T extends TrustFact>(
  type: T,
  deviceId: string,
  data: (id: string) => DataOf<T>,
): Promise<FactDoc<T>> {
  const id = nextId();
  const fact = { _id: id, type, v: 1, stream: trustStream, data: data(id), meta: factMeta(deviceId, id) };
  await createAll(spec.store.couch.server.use<Doc>(catalogueDb), [fact]);
  return fact;
}

const certificationRequest = (
  deviceId: string,
  publicKey: string,
  concertIds: string[],
  role: 'desk' | 'scanner' = 'desk',
) =>
  write('DeskKeyCertificationRequested', deviceId, (id) => ({
    requestId: id,
    deviceId,
    publicKey,
    concertIds,
    requestedAt: new Date().toISOString(),
    staff: { userId: `${deviceId}-user`, role },
  }));

/** The trust stream's accepted decision that answers `causeId`, once there is one. */
async function decisionOn(causeId: string): Promise<DecisionDoc> {
  return waitFor(`the trust decision on ${causeId}`, async () => {
    const { accepted } = await readTrustStream(spec.store.couch);
    return accepted.find((d) => d.meta.causationId === causeId);
  });
}

async function concertDecided(concertId: string, type: string): Promise<void> {
  await waitFor(`${type} of ${concertId}`, async () => {
    const { accepted } = await readStream(spec.store.couch, concertId);
    return accepted.some((d) => d.type === type) ? true : undefined;
  });
}

async function trustOver(port: number): Promise<PublishedTrust> {
  const response = await fetch(`http://127.0.0.1:${port}/api/trust`);
  expect(response.status).toBe(200);
  return (await response.json()) as PublishedTrust;
}

describe('the authority key', () => {
  it('is made once, kept private, and published once across restarts under the same keyId', async () => {
    const dataDir = newDataDir();
    const first = spec.syncServer({ STAGEDOOR_DATA: dataDir });
    await first.port;
    const published = await waitFor('the key published', async () => {
      const { accepted } = await readTrustStream(spec.store.couch);
      return accepted.find((d) => d.type === 'AuthorityKeyPublished');
    });
    expect(statSync(authorityKeyFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(await stopProcess(first)).toBe(0);

    const second = spec.syncServer({ STAGEDOOR_DATA: dataDir });
    const port = await second.port;
    await waitFor('the second instance to load the trust stream', () =>
      Promise.resolve(second.output().includes('trust stream loaded') ? true : undefined),
    );
    const { accepted } = await readTrustStream(spec.store.couch);
    const keys = accepted.filter((d) => d.type === 'AuthorityKeyPublished');
    expect(keys).toHaveLength(1);
    expect(keys[0]?.data).toEqual(published.data);
    const trust = await trustOver(port);
    expect(trust.authorityKeys).toEqual([published.data]);
  });
});

describe('a desk key', () => {
  let port: number;
  let desk: CryptoKeyPair;
  let deskKey: string;

  beforeAll(async () => {
    desk = await generateSigningKey();
    deskKey = await publicKeyText(desk.publicKey);
    await setUpConcert(spec.store.couch, 'trust-rock', levels);
    const gone = await setUpConcert(spec.store.couch, 'trust-gone', levels);
    const cancel = nextId();
    await createAll(gone, [
      {
        _id: cancel,
        type: 'ConcertCancellationRequested',
        v: 1,
        stream: concertStream('trust-gone'),
        data: { concertId: 'trust-gone', reason: 'the band split' },
        meta: factMeta('organizer-1', cancel),
      },
    ]);
    expect(concertDatabase('trust-rock')).toBe('stagedoor-concert-trust-rock');
  });

  it('is certified for the concerts that exist and are not cancelled, for 7 days, and its tickets verify', async () => {
    port = await spec.syncServer({ STAGEDOOR_DATA: newDataDir() }).port;
    await concertDecided('trust-rock', 'ConcertPublished');
    await concertDecided('trust-gone', 'ConcertCancelled');
    const request = await certificationRequest('desk-1', deskKey, ['trust-rock', 'trust-gone', 'trust-none']);
    const decision = await decisionOn(request._id);
    expect(decision.type).toBe('DeskKeyCertified');
    const certificate = decision.data as DataOf<'DeskKeyCertified'>;
    expect(certificate).toMatchObject({ deviceId: 'desk-1', publicKey: deskKey, concertIds: ['trust-rock'] });
    expect(Date.parse(certificate.notAfter) - Date.parse(certificate.notBefore)).toBe(7 * day);

    // A scanner that holds only the catalogue's trust events verifies the desk's ticket.
    const { accepted } = await readTrustStream(spec.store.couch);
    const trust = await addTrustEvents(emptyTrust(), accepted);
    const now = new Date();
    const claim = {
      ticketId: 'sale:01J00000000000000000000000:t1',
      concertId: 'trust-rock',
      level: 'Regular',
      kind: 'guaranteed' as const,
      validFrom: new Date(now.getTime() - day).toISOString(),
      validUntil: new Date(now.getTime() + day).toISOString(),
      signer: deskSigner(certificate.certificateId),
      signedAt: now.toISOString(),
    };
    const code = await signTicket(claim, desk.privateKey);
    expect(await verifyTicketCode(code, trust, now.toISOString())).toEqual({ ok: true, claim });
    const other = await signTicket({ ...claim, concertId: 'trust-gone' }, desk.privateKey);
    expect(await verifyTicketCode(other, trust, now.toISOString())).toEqual({
      ok: false,
      reason: 'out_of_scope',
    });
    expect((await trustOver(port)).certificates.map((c) => c.certificateId)).toContain(
      certificate.certificateId,
    );

    // Revoked by an organizer (a desk may not): its tickets are refused from then on.
    const byDesk = await write('DeskCertificateRevocationRequested', 'desk-2', () => ({
      certificateId: certificate.certificateId,
      reason: 'not mine to revoke',
      staff: { userId: 'desk-2-user', role: 'desk' },
    }));
    expect(await decisionOn(byDesk._id)).toMatchObject({
      type: 'DeskCertificateRevocationRefused',
      data: { code: 'not_an_organizer' },
    });
    const revocation = await write('DeskCertificateRevocationRequested', 'organizer-1', () => ({
      certificateId: certificate.certificateId,
      reason: 'the desk was stolen',
      staff: { userId: 'organizer-1-user', role: 'organizer' },
    }));
    expect(await decisionOn(revocation._id)).toMatchObject({
      type: 'DeskCertificateRevoked',
      data: { certificateId: certificate.certificateId, reason: 'the desk was stolen' },
    });
    const revoked = await addTrustEvents(trust, (await readTrustStream(spec.store.couch)).accepted);
    expect(await verifyTicketCode(code, revoked, now.toISOString())).toEqual({
      ok: false,
      reason: 'revoked',
    });
    const after = await trustOver(port);
    expect(after.certificates.map((c) => c.certificateId)).not.toContain(certificate.certificateId);
    expect(after.revoked.map((r) => r.certificateId)).toContain(certificate.certificateId);
  });

  it('is refused, with a code, from a non-desk role, with a malformed key, or for no live concert', async () => {
    await spec.syncServer({ STAGEDOOR_DATA: newDataDir() }).port;
    const scanner = await certificationRequest('scanner-1', deskKey, ['trust-rock'], 'scanner');
    const malformed = await certificationRequest('desk-3', 'not-a-key', ['trust-rock']);
    const short = await certificationRequest('desk-4', deskKey.slice(0, 40), ['trust-rock']);
    const cancelled = await certificationRequest(
      'desk-5',
      await publicKeyText((await generateSigningKey()).publicKey),
      ['trust-gone'],
    );
    const codes = await Promise.all(
      [scanner, malformed, short, cancelled].map(async (fact) => {
        const decision = await decisionOn(fact._id);
        expect(decision.type).toBe('DeskKeyCertificationRefused');
        return (decision.data as DataOf<'DeskKeyCertificationRefused'>).code;
      }),
    );
    expect(codes).toEqual(['not_a_desk', 'malformed_key', 'malformed_key', 'no_concert']);
    // Each request decided once, however often the catalogue is read again.
    const { accepted } = await readTrustStream(spec.store.couch);
    for (const fact of [scanner, malformed, short, cancelled])
      expect(accepted.filter((d) => d.meta.causationId === fact._id)).toHaveLength(1);
  });
});
