// The invoice PDF read back as text, as an accountant's software would: the number and issue date, seller and buyer,
// each line with its tax, the totals and the payment; a credit note names the invoice it corrects and why.
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { FinanceDocument } from '../../domain/desk/finance-view';
import { documentTitle, invoicePageSize, invoicePdf, taxRate } from './invoice-pdf';
import type { Seller } from './invoice-pdf';

/** The standard fonts' encoding (WinAnsi, Windows-1252) where it is not Latin-1: the characters an invoice may use. */
const winAnsi: Record<number, string> = {
  0x80: '\u20ac',
  0x85: '\u2026',
  0x91: '\u2018',
  0x92: '\u2019',
  0x93: '\u201c',
  0x94: '\u201d',
  0x96: '\u2013',
  0x97: '\u2014',
};

/** The text drawn on each page, one string per drawText, in drawing order. */
async function pdfText(bytes: Uint8Array): Promise<string[][]> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams: PDFObject[] =
      contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const text: string[] = [];
    for (const ref of streams) {
      const stream = pdf.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const content = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
      // pdf-lib writes each drawText with a standard font as a hex string shown by Tj.
      for (const match of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        const hex = match[1] ?? '';
        const bytes = (hex.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16));
        text.push(bytes.map((byte) => winAnsi[byte] ?? String.fromCharCode(byte)).join(''));
      }
    }
    return text;
  });
}

const seller: Seller = {
  name: 'Stagedoor Box Office',
  address: ['ul. Koncertowa 1', '00-001 Warszawa'],
  taxId: 'PL5260000000',
  timeZone: 'Europe/Warsaw',
};

const invoice: FinanceDocument = {
  documentId: 'order-1:invoice',
  kind: 'invoice',
  number: 'FV/2027/000123',
  // 23:30 UTC is the next day in Warsaw: the issue date is the seller's.
  issuedAt: '2027-04-30T23:30:00.000Z',
  orderId: 'order-1',
  invoiceId: null,
  invoiceNumber: null,
  buyer: { name: 'Łódź Events Sp. z o.o.', taxId: 'PL7250000000' },
  lines: [
    {
      concertId: 'brodka-arena',
      level: 'Front',
      quantity: 2,
      unitPrice: 10_800,
      currency: 'PLN',
      taxRateBp: 800,
      net: 20_000,
      tax: 1_600,
      gross: 21_600,
    },
    {
      concertId: 'brodka-arena',
      level: 'Back',
      quantity: 1,
      unitPrice: 12_300,
      currency: 'PLN',
      taxRateBp: 2300,
      net: 10_000,
      tax: 2_300,
      gross: 12_300,
    },
  ],
  totals: [{ currency: 'PLN', net: 30_000, tax: 3_900, gross: 33_900 }],
  payments: [
    {
      method: 'card',
      amount: 33_900,
      currency: 'PLN',
      reference: 'pi_123',
      paidAt: '2027-04-30T23:30:00.000Z',
    },
  ],
  reason: null,
  facts: [],
};

const concertName = (id: string) => (id === 'brodka-arena' ? 'Brodka — Wiosna' : id);

describe('the invoice PDF', () => {
  it('says the number, issue date, seller, buyer, lines with their tax, totals and payment', async () => {
    const bytes = await invoicePdf(invoice, { seller, concertName });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPage(0).getSize()).toEqual({ width: invoicePageSize[0], height: invoicePageSize[1] });
    expect(pdf.getTitle()).toBe('Invoice FV/2027/000123');
    const [page = []] = await pdfText(bytes);
    expect(page[0]).toBe('Invoice FV/2027/000123');
    expect(page).toContain('Issue date: 2027-05-01');
    expect(page).toEqual(
      expect.arrayContaining(['Stagedoor Box Office', 'ul. Koncertowa 1', 'Tax ID: PL5260000000']),
    );
    // Letters the standard font lacks lose their accents, not the word.
    expect(page).toEqual(expect.arrayContaining(['Lodz Events Sp. z o.o.', 'Tax ID: PL7250000000']));
    const row = (first: string) => page.slice(page.indexOf(first), page.indexOf(first) + 7);
    expect(row('Brodka \u2014 Wiosna \u2014 Front')).toEqual([
      'Brodka \u2014 Wiosna \u2014 Front',
      '2',
      '108.00 PLN',
      '200.00 PLN',
      '8%',
      '16.00 PLN',
      '216.00 PLN',
    ]);
    expect(row('Brodka \u2014 Wiosna \u2014 Back')).toEqual([
      'Brodka \u2014 Wiosna \u2014 Back',
      '1',
      '123.00 PLN',
      '100.00 PLN',
      '23%',
      '23.00 PLN',
      '123.00 PLN',
    ]);
    expect(page).toContain('Total PLN: Net 300.00 PLN, Tax 39.00 PLN, Gross 339.00 PLN');
    expect(page).toContain('Card, 339.00 PLN, 2027-05-01, pi_123');
  });

  it('makes a credit note name the invoice it corrects and why, with no payment block', async () => {
    const credit: FinanceDocument = {
      ...invoice,
      documentId: 'refund-1:credit',
      kind: 'credit_note',
      number: 'KOR/2027/000004',
      invoiceId: 'order-1:invoice',
      invoiceNumber: 'FV/2027/000123',
      lines: [
        {
          concertId: 'brodka-arena',
          level: 'Front',
          currency: 'PLN',
          taxRateBp: 800,
          net: 10_000,
          tax: 800,
          gross: 10_800,
          quantity: null,
          unitPrice: null,
        },
      ],
      totals: [{ currency: 'PLN', net: 10_000, tax: 800, gross: 10_800 }],
      payments: [],
      reason: 'One ticket refunded',
    };
    const [page = []] = await pdfText(await invoicePdf(credit, { seller, concertName }));
    expect(page[0]).toBe('Credit note KOR/2027/000004');
    expect(page).toContain('Corrects invoice: FV/2027/000123');
    expect(page).toContain('Reason: One ticket refunded');
    expect(page).toContain('Total PLN: Net 100.00 PLN, Tax 8.00 PLN, Gross 108.00 PLN');
    expect(page).not.toContain('Payment');
  });

  it('says when the authority has not numbered it yet, and reads tax rates as people write them', () => {
    expect(documentTitle({ kind: 'invoice', number: null })).toBe('Invoice (number pending)');
    expect(taxRate(800)).toBe('8%');
    expect(taxRate(2350)).toBe('23.5%');
    expect(taxRate(0)).toBe('0%');
  });
});
