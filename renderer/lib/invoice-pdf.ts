// An invoice or a credit note as a PDF (A4): its number from the authority's series, the issue date, seller and buyer,
// one line per concert and level with its tax, the totals per currency and how it was paid; a credit note names the
// invoice it corrects and why. Drawn with pdf-lib's standard fonts like the tickets (ticket-pdf.ts); letters those
// fonts lack are written without their accents (ł → l) rather than lost.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { PDFFont } from 'pdf-lib';
import type { FinanceDocument } from '../../domain/desk/finance-view';
import { dayIn } from '../../domain/desk/finance-view';
import { formatAmount } from '../../domain/finance/amount';
import { t } from '../i18n';
import { printable } from './ticket-pdf';

/** Who issues the invoices: the box office's company, from its configuration. */
export type Seller = { name: string; address: readonly string[]; taxId: string; timeZone: string };

const mm = 72 / 25.4;
export const invoicePageSize: [number, number] = [210 * mm, 297 * mm];

/** Tax rate in basis points as a person reads it: 800 → "8%", 2350 → "23.5%". */
export const taxRate = (bp: number): string =>
  `${bp % 100 === 0 ? bp / 100 : (bp / 100).toFixed(2).replace(/0$/, '')}%`;

/** The title: the kind and its number (or that the number is still to come). */
export function documentTitle(doc: Pick<FinanceDocument, 'kind' | 'number'>): string {
  const kind = t(doc.kind === 'invoice' ? 'finance.pdf.invoice' : 'finance.pdf.creditNote');
  return `${kind} ${doc.number ?? t('finance.pdf.unnumbered')}`;
}

export type InvoiceOptions = {
  seller: Seller;
  /** A concert's name for its lines (its id when unknown). */
  concertName?: (concertId: string) => string;
};

type Cell = { text: string; right?: boolean };
const columns: { width: number; right?: boolean }[] = [
  { width: 62 * mm },
  { width: 12 * mm, right: true },
  { width: 24 * mm, right: true },
  { width: 24 * mm, right: true },
  { width: 14 * mm, right: true },
  { width: 22 * mm, right: true },
  { width: 24 * mm, right: true },
];

export async function invoicePdf(doc: FinanceDocument, options: InvoiceOptions): Promise<Uint8Array> {
  const { seller } = options;
  const nameOf = options.concertName ?? ((id: string) => id);
  const pdf = await PDFDocument.create();
  pdf.setTitle(documentTitle(doc));
  pdf.setCreator('Stagedoor');
  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  const [width, height] = invoicePageSize;
  const margin = 18 * mm;
  let page = pdf.addPage(invoicePageSize);
  let y = height - margin;
  const ink = rgb(0.1, 0.1, 0.12);
  const write = (text: string, x: number, size: number, font: PDFFont, room = width - x - margin) => {
    page.drawText(fit(text, font, size, room), { x, y, size, font, color: ink });
  };
  const line = (text: string, size = 10, font = fonts.regular, gap = 4) => {
    if (y < margin + size) {
      page = pdf.addPage(invoicePageSize);
      y = height - margin;
    }
    write(text, margin, size, font);
    y -= size + gap;
  };

  line(documentTitle(doc), 18, fonts.bold, 8);
  line(`${t('finance.pdf.issued')}: ${dayIn(doc.issuedAt, seller.timeZone)}`);
  line(`${t('finance.pdf.order')}: ${doc.orderId}`);
  if (doc.kind === 'credit_note')
    line(`${t('finance.pdf.corrects')}: ${doc.invoiceNumber ?? doc.invoiceId ?? ''}`, 10, fonts.bold);
  if (doc.reason) line(`${t('finance.pdf.reason')}: ${doc.reason}`);
  y -= 8;

  // Seller and buyer side by side.
  const top = y;
  const half = (width - 2 * margin) / 2;
  const party = (title: string, rows: string[], x: number) => {
    y = top;
    write(title, x, 9, fonts.bold, half - 4);
    y -= 13;
    for (const row of rows.filter(Boolean)) {
      write(row, x, 10, fonts.regular, half - 4);
      y -= 13;
    }
    return y;
  };
  const afterSeller = party(
    t('finance.pdf.seller'),
    [seller.name, ...seller.address, `${t('finance.pdf.taxId')}: ${seller.taxId}`],
    margin,
  );
  const buyer = doc.buyer;
  const afterBuyer = party(
    t('finance.pdf.buyer'),
    buyer
      ? [buyer.name, buyer.taxId ? `${t('finance.pdf.taxId')}: ${buyer.taxId}` : '']
      : [t('finance.pdf.noBuyer')],
    margin + half,
  );
  y = Math.min(afterSeller, afterBuyer) - 10;

  const row = (cells: Cell[], font: PDFFont) => {
    if (y < margin + 20) {
      page = pdf.addPage(invoicePageSize);
      y = height - margin;
    }
    let x = margin;
    cells.forEach((cell, i) => {
      const column = columns[i] ?? { width: 20 * mm };
      const text = fit(cell.text, font, 9, column.width - 4);
      const offset = column.right ? column.width - 4 - font.widthOfTextAtSize(text, 9) : 0;
      page.drawText(text, { x: x + offset, y, size: 9, font, color: ink });
      x += column.width;
    });
    y -= 14;
  };
  row(
    [
      t('finance.pdf.item'),
      t('finance.pdf.qty'),
      t('finance.pdf.unitPrice'),
      t('finance.pdf.net'),
      t('finance.pdf.taxRate'),
      t('finance.pdf.tax'),
      t('finance.pdf.gross'),
    ].map((text) => ({ text })),
    fonts.bold,
  );
  page.drawLine({
    start: { x: margin, y: y + 10 },
    end: { x: width - margin, y: y + 10 },
    thickness: 0.5,
    color: ink,
  });
  for (const item of doc.lines)
    row(
      [
        { text: `${nameOf(item.concertId)} — ${item.level}` },
        { text: item.quantity === null ? '' : String(item.quantity) },
        { text: item.unitPrice === null ? '' : formatAmount(item.unitPrice, item.currency) },
        { text: formatAmount(item.net, item.currency) },
        { text: taxRate(item.taxRateBp) },
        { text: formatAmount(item.tax, item.currency) },
        { text: formatAmount(item.gross, item.currency) },
      ],
      fonts.regular,
    );
  y -= 6;
  for (const total of doc.totals)
    line(
      `${t('finance.pdf.total')} ${total.currency}: ${t('finance.pdf.net')} ${formatAmount(total.net, total.currency)}, ${t('finance.pdf.tax')} ${formatAmount(total.tax, total.currency)}, ${t('finance.pdf.gross')} ${formatAmount(total.gross, total.currency)}`,
      11,
      fonts.bold,
      6,
    );
  y -= 8;
  if (doc.kind === 'invoice') {
    line(t('finance.pdf.payment'), 10, fonts.bold);
    if (doc.payments.length === 0) line(t('finance.pdf.unpaid'));
    for (const payment of doc.payments)
      line(
        [
          t(`finance.method.${payment.method}`),
          formatAmount(payment.amount, payment.currency),
          dayIn(payment.paidAt, seller.timeZone),
          payment.reference ?? '',
        ]
          .filter(Boolean)
          .join(', '),
      );
  }
  return pdf.save();
}

/** The text without the accents the standard fonts lack, then as printable() lets it through. */
function plain(text: string, font: PDFFont): string {
  const stripped = text.replace(/ł/g, 'l').replace(/Ł/g, 'L').normalize('NFD').replace(/\p{M}/gu, '');
  return printable(stripped, font);
}

/** One line, cut with an ellipsis when it is wider than the room. */
function fit(text: string, font: PDFFont, size: number, room: number): string {
  let out = plain(text, font);
  if (font.widthOfTextAtSize(out, size) <= room) return out;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}...`, size) > room) out = out.slice(0, -1);
  return `${out.trimEnd()}...`;
}
