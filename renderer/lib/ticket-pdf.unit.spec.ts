// The printed ticket: what each one says, and the PDF read back as a printer and a scanner would: one ticket-size
// page per ticket, each with the QR code of its own ticket, decodable from the image that prints.
import { describe, expect, it } from 'vitest';
import { readTicketPdf } from '../../test/support/ticket-pdf-reader';
import { ticketFaces, ticketPageSize, ticketsPdf } from './ticket-pdf';

const concert = {
  artist: 'Brodka',
  title: 'Wiosna',
  venue: 'Arena',
  city: 'Warsaw',
  startsAt: '2027-05-01T17:00:00.000Z',
  timezone: 'Europe/Warsaw',
};
const sale = { level: 'Floor', unitPrice: 12_500, currency: 'PLN' };
/** Codes as long as real ones (a claim and a signature are about 450 characters). */
const code = (n: number) => `SD1.${'e'.repeat(360)}${n}.${'s'.repeat(85)}`;
const codes = {
  ticketIds: ['sale:01S:t1', 'sale:01S:t2'],
  codes: [code(1), code(2)],
  kind: 'confirmed' as const,
};

describe('what goes on a ticket', () => {
  it('is its code and id, the concert, venue, date and time in the venue’s timezone, level, price and terms', () => {
    const [first, second] = ticketFaces(sale, concert, codes);
    expect(first).toEqual({
      ticketId: 'sale:01S:t1',
      code: code(1),
      kind: 'confirmed',
      artist: 'Brodka',
      title: 'Wiosna',
      venue: 'Arena, Warsaw',
      // 17:00 UTC is 19:00 in Warsaw (summer time).
      dateTime: 'May 1, 2027, 7:00 PM',
      level: 'Floor',
      price: 'PLN\u00a0125.00',
      position: 'Ticket 1 of 2',
      notice: '',
      terms: expect.stringMatching(/One entry per ticket/) as string,
    });
    expect(second).toMatchObject({ ticketId: 'sale:01S:t2', code: code(2), position: 'Ticket 2 of 2' });
  });

  it('says so in full on a provisional ticket, and on a guaranteed one', () => {
    const [provisional] = ticketFaces(sale, concert, { ...codes, kind: 'provisional' });
    expect(provisional?.notice).toMatch(/^PROVISIONAL: .*depends on the box office confirming/);
    const [guaranteed] = ticketFaces(sale, concert, { ...codes, kind: 'guaranteed' });
    expect(guaranteed?.notice).toMatch(/^Guaranteed/);
  });
});

describe('the PDF', () => {
  it('has one ticket-size page per ticket, each with its own ticket’s QR code', async () => {
    const faces = ticketFaces(sale, concert, codes);
    const read = await readTicketPdf(await ticketsPdf(faces));
    expect(read.pages.map((p) => p.codes)).toEqual([[code(1)], [code(2)]]);
    for (const page of read.pages) {
      expect(page.width).toBeCloseTo(ticketPageSize[0]);
      expect(page.height).toBeCloseTo(ticketPageSize[1]);
    }
  });

  it('prints names outside the standard font’s characters instead of failing', async () => {
    const faces = ticketFaces(
      sale,
      { ...concert, artist: 'Kraftklub 🎸 Łódź', venue: 'Klub „Wytwórnia”' },
      codes,
    );
    const read = await readTicketPdf(await ticketsPdf(faces.slice(0, 1)));
    expect(read.pages).toHaveLength(1);
  });
});
