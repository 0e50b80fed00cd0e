// Issue 7, printing at the desk: a desk offline sells 2 tickets inside its allotment and prints them; the PDF has one
// page per ticket, and each page's QR code decodes to a code that verifies offline against the trust the desk holds
// (the authority's key and the certificate of the desk's own key). A reprint is recorded and prints the same codes; in
// the desktop shell the PDF goes to the printer through the bridge instead of being downloaded.
import { addTrustEvents, emptyTrust, verifyTicketCode } from '../../domain/ticket/signing';
import type { Trust } from '../../domain/ticket/signing';
import { serverUrlVariable } from './fixtures';
import { expect, test } from './fixtures';
import { deskReadyToPrint } from './pages/print-page';

const level = 'Parterre';
const trustTypes = ['AuthorityKeyPublished', 'DeskKeyCertified', 'DeskCertificateRevoked'];

/** The venue's wall clock tomorrow at 20:00 UTC, as the concert form takes it (a desk certificate lasts 7 days). */
const tomorrowEvening = (): string => {
  const day = new Date(Date.now() + 24 * 3_600_000).toISOString().slice(0, 10);
  return `${day}T20:00`;
};

test('a desk offline inside its allotment prints 2 tickets whose codes verify against its trust', async ({
  openDesk,
  request,
}) => {
  test.setTimeout(120_000);
  const office = await openDesk('Office', { device: 'manager' });
  const desk = await openDesk('Desk P');
  const artist = `Print Band ${Date.now()}`;
  const startsAt = tomorrowEvening();
  const printing = await deskReadyToPrint(office, desk, { artist, startsAt, level, seats: 2 });

  // The trust the desk holds is the catalogue's trust events it replicated before going offline. It is read from the
  // store after printing: the desk may have been certified again meanwhile (another test's new concert makes it ask
  // for a certificate naming that one too) and sign with the newer certificate, which the store then holds as well.
  const server = process.env[serverUrlVariable] ?? '';
  // The store is read with the desk's own credentials, as the desk reads it.
  const credentials = await desk.page.evaluate(
    () =>
      JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as { deviceId: string; secret: string },
  );
  const headers = {
    authorization: `Basic ${Buffer.from(`${credentials.deviceId}:${credentials.secret}`).toString('base64')}`,
  };
  const readTrust = async (): Promise<Trust> => {
    const catalogue = await request.get(`${server}/couch/stagedoor-catalogue/_all_docs?include_docs=true`, {
      headers,
    });
    expect(catalogue.ok()).toBe(true);
    const { rows } = (await catalogue.json()) as { rows: { doc?: { type?: string; data?: unknown } }[] };
    return addTrustEvents(
      emptyTrust(),
      rows.flatMap(({ doc }) =>
        doc?.type && trustTypes.includes(doc.type) ? [{ type: doc.type, data: doc.data }] : [],
      ),
    );
  };

  await desk.setOffline(true);
  await desk.sell({ concert: artist, level, quantity: 2, promise: 'guaranteed' });
  await desk.expectLatestSale('guaranteed');

  const { pdf, outcome } = await printing.print();
  await expect(outcome).toHaveText('2 guaranteed tickets saved as a PDF.');
  expect(pdf.pages).toHaveLength(2);
  const codes = pdf.pages.map((page) => {
    expect(page.codes).toHaveLength(1);
    return page.codes[0] ?? '';
  });

  // At the gate, offline: inside the concert's entry window, each code is one of the sale's two tickets.
  const trust = await readTrust();
  const deviceId = await desk.deviceId();
  const atTheGate = new Date(Date.parse(`${startsAt}:00Z`) - 3_600_000).toISOString();
  const verdicts = await Promise.all(codes.map((code) => verifyTicketCode(code, trust, atTheGate)));
  const claims = verdicts.map((verdict) => {
    if (!verdict.ok) throw new Error(`a printed code was refused: ${verdict.reason}`);
    return verdict.claim;
  });
  expect(claims.map((c) => c.ticketId)).toEqual([
    expect.stringMatching(/^sale:[0-9A-Z]{26}:t1$/),
    expect.stringMatching(/^sale:[0-9A-Z]{26}:t2$/),
  ]);
  for (const claim of claims) {
    expect(claim).toMatchObject({ level, kind: 'guaranteed', signer: expect.stringMatching(/^desk:/) });
    const certificate = trust.certificates.get(claim.signer.slice('desk:'.length));
    expect(certificate?.certificate.deviceId).toBe(deviceId);
    expect(certificate?.concertIds.has(claim.concertId)).toBe(true);
  }

  // A reprint, still offline: recorded, and the very same codes.
  const sale = desk.latestSale();
  await expect(sale.getByTestId('print-tickets')).toHaveText('Reprint');
  await expect(sale.getByTestId('print-count')).toHaveText('Printed once');
  const again = await printing.print(sale);
  expect(again.pdf.pages.map((page) => page.codes[0])).toEqual(codes);
  await expect(sale.getByTestId('print-count')).toHaveText('Printed 2 times');

  // Back online: the sale is confirmed; both prints reach the concert's database as they are, recorded and never
  // quarantined (the authority decides nothing about a print, and nothing waits for it).
  await desk.setOffline(false);
  await desk.expectLatestSale('confirmed', { timeout: 20_000 });
  await expect(desk.waiting()).toHaveAttribute('data-count', '0');
  const concertId = await desk.concertId(artist);
  const concertDocs = async () => {
    const response = await request.get(
      `${server}/couch/stagedoor-concert-${concertId}/_all_docs?include_docs=true`,
      { headers },
    );
    const body = (await response.json()) as {
      rows: { doc?: { type?: string; data?: { docType?: string } } }[];
    };
    const docs = body.rows.flatMap(({ doc }) => (doc ? [doc] : []));
    return {
      prints: docs.filter((doc) => doc.type === 'TicketsPrinted').length,
      quarantined: docs.filter((doc) => doc.type === 'FactQuarantined').map((doc) => doc.data?.docType),
    };
  };
  await expect.poll(concertDocs, { timeout: 20_000 }).toEqual({ prints: 2, quarantined: [] });

  // In the desktop shell the same layout goes to the OS printer through the bridge, and nothing is downloaded: a
  // sale the authority confirmed prints confirmed tickets.
  await printing.standInForTheShell();
  await desk.reload();
  await desk.sell({ concert: artist, level, quantity: 1, promise: 'pending' });
  await desk.expectLatestSale('confirmed', { timeout: 20_000 });
  let downloads = 0;
  desk.page.on('download', () => (downloads += 1));
  await desk.latestSale().getByTestId('print-tickets').click();
  await expect(desk.latestSale().getByTestId('print-outcome')).toHaveText(
    '1 confirmed ticket sent to the printer.',
  );
  const [sent, ...more] = await printing.printedThroughTheShell();
  expect(more).toEqual([]);
  expect(downloads).toBe(0);
  const [code] = sent?.pages[0]?.codes ?? [];
  // Verified as a scanner that synced since: the desk may hold a newer certificate by now (it asks for one covering
  // every concert it knows, and other concerts appeared meanwhile).
  const verdict = await verifyTicketCode(code ?? '', await readTrust(), atTheGate);
  expect(verdict).toEqual({
    ok: true,
    claim: expect.objectContaining({ kind: 'confirmed', level }) as unknown,
  });
  await expect.poll(concertDocs, { timeout: 20_000 }).toEqual({ prints: 3, quarantined: [] });
});
