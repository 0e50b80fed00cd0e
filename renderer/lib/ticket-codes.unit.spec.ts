// Which kind a sale's tickets are printed as, what their codes say, and when a reprint prints the same codes: checked
// on sales as the desk's view projects them from a real concert log, and against the trust a scanner builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { ConcertLogBuilder } from '../../domain/desk/concert-log.fixtures';
import { projectDesk } from '../../domain/desk/desk-view';
import type { SaleView } from '../../domain/desk/desk-view';
import type { FactDoc } from '../../domain/events/catalogue';
import {
  addTrustEvents,
  emptyTrust,
  generateSigningKey,
  keyIdOf,
  publicKeyText,
  readTicketCode,
  signCertificate,
  verifyTicketCode,
} from '../../domain/ticket/signing';
import type { Trust } from '../../domain/ticket/signing';
import {
  entryWindow,
  lastPrintOf,
  NoCertificate,
  printCounts,
  reusable,
  saleCodes,
  saleTicketIds,
  ticketKindOf,
} from './ticket-codes';
import type { DeskSigner } from './ticket-codes';

const concertId = 'brodka-wiosna';
const startsAt = '2027-05-01T19:00:00.000Z';
/** When the desk signs, on the authority's clock: inside its certificate's week. */
const signedAt = '2027-04-29T12:00:00.000Z';
const desk = 'desk-a';

/** A concert with a block of 2 Floor seats for desk A; `sell` records sales, `decide` lets the authority answer. */
function boxOffice() {
  const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 10 }], startsAt).publish();
  log.decide(log.grant(desk, 'Floor', 2));
  const saleOf = (id: string): SaleView => {
    const sale = projectDesk(log.docs, desk).sales.find((s) => s.saleId === id);
    if (!sale) throw new Error(`no sale ${id}`);
    return sale;
  };
  return { log, saleOf };
}

describe('the kind of a sale’s tickets', () => {
  it('is guaranteed for a sale inside the desk’s block, before the authority heard of it', () => {
    const { log, saleOf } = boxOffice();
    const sale = log.sale(desk, 'Floor', 2, 'allotment');
    expect(saleOf(sale._id).status).toBe('guaranteed');
    expect(ticketKindOf(saleOf(sale._id).status)).toBe('guaranteed');
  });

  it('is provisional for a pending sale, and confirmed once the authority allocated its seats', () => {
    const { log, saleOf } = boxOffice();
    const sale = log.sale(desk, 'Floor', 3, 'pool');
    expect(ticketKindOf(saleOf(sale._id).status)).toBe('provisional');
    log.decide(sale);
    expect(saleOf(sale._id).status).toBe('confirmed');
    expect(ticketKindOf(saleOf(sale._id).status)).toBe('confirmed');
  });

  it('is confirmed for a block sale the authority confirmed, and none for a rejected sale', () => {
    const { log, saleOf } = boxOffice();
    const inBlock = log.sale(desk, 'Floor', 2, 'allotment');
    log.decide(inBlock);
    expect(ticketKindOf(saleOf(inBlock._id).status)).toBe('confirmed');
    const tooMany = log.sale(desk, 'Floor', 9, 'pool');
    log.decide(tooMany);
    expect(saleOf(tooMany._id).status).toBe('rejected');
    expect(ticketKindOf('rejected')).toBeUndefined();
  });
});

describe('a sale’s ticket ids and entry window', () => {
  it('are the ids the concert issues on allocation, one per seat', () => {
    expect(saleTicketIds({ saleId: '01S', quantity: 2 })).toEqual(['sale:01S:t1', 'sale:01S:t2']);
  });

  it('open six hours before the start and close twelve hours after it', () => {
    expect(entryWindow(startsAt)).toEqual({
      validFrom: '2027-05-01T13:00:00.000Z',
      validUntil: '2027-05-02T07:00:00.000Z',
    });
  });
});

describe('the codes of a sale', () => {
  let trust: Trust;
  let signer: DeskSigner;
  let otherDesk: DeskSigner;

  beforeAll(async () => {
    const authority = await generateSigningKey(true);
    const authorityKey = await publicKeyText(authority.publicKey);
    const keyId = await keyIdOf(authorityKey);
    const certify = async (certificateId: string, concertIds: string[]) => {
      const key = await generateSigningKey();
      const body = {
        certificateId,
        requestId: `${certificateId}-request`,
        deviceId: desk,
        publicKey: await publicKeyText(key.publicKey),
        concertIds,
        notBefore: '2027-04-28T00:00:00.000Z',
        notAfter: '2027-05-05T00:00:00.000Z',
        authorityKeyId: keyId,
      };
      const signature = await signCertificate(body, authority.privateKey);
      return { key, event: { type: 'DeskKeyCertified', data: { ...body, signature } } };
    };
    const mine = await certify('cert-a', [concertId]);
    const elsewhere = await certify('cert-b', ['another-concert']);
    trust = await addTrustEvents(emptyTrust(), [
      { type: 'AuthorityKeyPublished', data: { keyId, publicKey: authorityKey, publishedAt: startsAt } },
      mine.event,
      elsewhere.event,
    ]);
    signer = { certificateId: 'cert-a', privateKey: mine.key.privateKey };
    otherDesk = { certificateId: 'cert-b', privateKey: elsewhere.key.privateKey };
  });

  const atTheGate = '2027-05-01T18:30:00.000Z';

  it('verify at the gate, offline, as the tickets the sale sold, of the kind the desk could promise', async () => {
    const { log, saleOf } = boxOffice();
    const sale = saleOf(log.sale(desk, 'Floor', 2, 'allotment')._id);
    const codes = await saleCodes({ signedAt, sale, concert: { startsAt }, previous: undefined, signer });
    expect(codes).toMatchObject({ kind: 'guaranteed', reprint: false, ticketIds: saleTicketIds(sale) });
    const verdicts = await Promise.all(codes.codes.map((code) => verifyTicketCode(code, trust, atTheGate)));
    expect(verdicts.map((v) => (v.ok ? v.claim : v.reason))).toEqual(
      saleTicketIds(sale).map((ticketId) => ({
        ticketId,
        concertId,
        level: 'Floor',
        kind: 'guaranteed',
        ...entryWindow(startsAt),
        signer: 'desk:cert-a',
        signedAt,
      })),
    );
  });

  it('signed with a certificate for another concert are refused at the gate', async () => {
    const { log, saleOf } = boxOffice();
    const sale = saleOf(log.sale(desk, 'Floor', 1, 'allotment')._id);
    const { codes } = await saleCodes({
      signedAt,
      sale,
      concert: { startsAt },
      previous: undefined,
      signer: otherDesk,
    });
    await expect(verifyTicketCode(codes[0] ?? '', trust, atTheGate)).resolves.toEqual({
      ok: false,
      reason: 'out_of_scope',
    });
  });

  it('can’t be made without a certificate, and a rejected sale has none', async () => {
    const { log, saleOf } = boxOffice();
    const sale = saleOf(log.sale(desk, 'Floor', 1, 'pool')._id);
    await expect(
      saleCodes({ signedAt, sale, concert: { startsAt }, previous: undefined, signer: undefined }),
    ).rejects.toThrow(NoCertificate);
    await expect(
      saleCodes({
        signedAt,
        sale: { ...sale, status: 'rejected' },
        concert: { startsAt },
        previous: undefined,
        signer,
      }),
    ).rejects.toThrow(/rejected/);
  });

  it('are printed again as they were on a reprint, without the key', async () => {
    const { log, saleOf } = boxOffice();
    const sale = saleOf(log.sale(desk, 'Floor', 2, 'allotment')._id);
    const first = await saleCodes({ signedAt, sale, concert: { startsAt }, previous: undefined, signer });
    const print = printed(log, sale, first.codes);
    expect(lastPrintOf(log.docs, sale.saleId)?._id).toBe(print._id);
    const again = await saleCodes({
      signedAt,
      sale,
      concert: { startsAt },
      previous: print,
      signer: undefined,
    });
    expect(again).toEqual({ ...first, reprint: true });
    expect(printCounts(log.docs).get(sale.saleId)).toBe(1);
  });

  it('replace provisional codes once the authority confirmed the sale', async () => {
    const { log, saleOf } = boxOffice();
    const fact = log.sale(desk, 'Floor', 1, 'pool');
    const pending = saleOf(fact._id);
    const first = await saleCodes({
      signedAt,
      sale: pending,
      concert: { startsAt },
      previous: undefined,
      signer,
    });
    expect(first.kind).toBe('provisional');
    const print = printed(log, pending, first.codes);
    // Still pending: the same provisional code.
    expect(reusable(print.data, pending, 'provisional')).toBe(true);
    log.decide(fact);
    const confirmed = saleOf(fact._id);
    const second = await saleCodes({
      signedAt,
      sale: confirmed,
      concert: { startsAt },
      previous: print,
      signer,
    });
    expect(second).toMatchObject({ kind: 'confirmed', reprint: true, ticketIds: first.ticketIds });
    expect(readTicketCode(second.codes[0] ?? '')?.claim.kind).toBe('confirmed');
    expect(second.codes).not.toEqual(first.codes);
  });

  it('are not reused when they do not fit the sale', () => {
    const sale = { saleId: '01S', quantity: 2 };
    expect(reusable(undefined, sale, 'confirmed')).toBe(false);
    expect(reusable({ ticketIds: ['sale:01S:t1'], codes: ['x'] }, sale, 'confirmed')).toBe(false);
    expect(reusable({ ticketIds: saleTicketIds(sale), codes: ['unreadable', 'x'] }, sale, 'confirmed')).toBe(
      false,
    );
  });
});

function printed(log: ConcertLogBuilder, sale: SaleView, codes: string[]): FactDoc<'TicketsPrinted'> {
  return log.fact(
    'TicketsPrinted',
    (printId) => ({
      printId,
      saleId: sale.saleId,
      concertId,
      ticketIds: saleTicketIds(sale),
      codes,
      reprint: false,
      at: startsAt,
    }),
    { deviceId: desk },
  );
}
