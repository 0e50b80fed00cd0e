// The printed ticket, as a PDF: one page per ticket, the same layout for the OS printer (through the desktop shell)
// and for the browser build (opened or downloaded). The page is a ticket, 210 × 99 mm (a third of A4): the size of
// the usual perforated ticket stock (three to an A4 sheet) and of fan-fold ticket printers' stock, so every ticket
// comes out on its own piece to hand over or tear off; an A4 office printer prints it at the top of a sheet, unscaled.
// The QR code is a PNG from `qrcode` (a canvas in the browser, pngjs in Node), so what a test decodes is what prints.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import type { PDFFont, PDFPage } from 'pdf-lib';
import { toDataURL } from 'qrcode';
import type { ConcertView, SaleView } from '../../domain/desk/desk-view';
import type { TicketKind } from '../../domain/ticket/signing';
import { concertDate, money } from '../components/format';
import { t } from '../i18n';
import type { SaleCodes } from './ticket-codes';

const mm = 72 / 25.4;
export const ticketPageSize: [number, number] = [210 * mm, 99 * mm];

/** Everything one printed ticket says. */
export type TicketFace = {
  ticketId: string;
  /** The QR text. */
  code: string;
  kind: TicketKind;
  /** The artist, then the concert's title (may be empty). */
  artist: string;
  title: string;
  /** Venue and city. */
  venue: string;
  /** The start, in the venue's timezone. */
  dateTime: string;
  level: string;
  price: string;
  /** "1 of 2". */
  position: string;
  /** Said in full on a ticket that is not confirmed (empty for a confirmed one). */
  notice: string;
  terms: string;
};

/** The faces of a sale's tickets, in ticket order. */
export function ticketFaces(
  sale: Pick<SaleView, 'level' | 'unitPrice' | 'currency'>,
  concert: Pick<ConcertView, 'artist' | 'title' | 'venue' | 'city' | 'startsAt' | 'timezone'>,
  codes: Pick<SaleCodes, 'ticketIds' | 'codes' | 'kind'>,
): TicketFace[] {
  const count = codes.ticketIds.length;
  return codes.ticketIds.map((ticketId, i) => ({
    ticketId,
    code: codes.codes[i] ?? '',
    kind: codes.kind,
    artist: concert.artist,
    title: concert.title,
    venue: [concert.venue, concert.city].filter(Boolean).join(', '),
    dateTime: concertDate(concert.startsAt, concert.timezone),
    level: sale.level,
    price: money(sale.unitPrice, sale.currency),
    position: t('ticket.position', { n: i + 1, count }),
    notice: t(`ticket.notice.${codes.kind}`),
    terms: t('ticket.terms'),
  }));
}

/** The PDF of these tickets, one page each. */
export async function ticketsPdf(
  faces: readonly TicketFace[],
  title = t('ticket.documentTitle'),
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreator('Stagedoor');
  const fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
  };
  for (const face of faces) {
    const page = pdf.addPage(ticketPageSize);
    // Dark modules on white, four modules of quiet zone: what scanners read best, also off a worn thermal print.
    const qr = await pdf.embedPng(
      await toDataURL(face.code, { errorCorrectionLevel: 'M', margin: 4, scale: 4, type: 'image/png' }),
    );
    drawTicket(page, face, fonts, qr);
  }
  return pdf.save();
}

type Fonts = { regular: PDFFont; bold: PDFFont };

function drawTicket(
  page: PDFPage,
  face: TicketFace,
  fonts: Fonts,
  qr: Awaited<ReturnType<PDFDocument['embedPng']>>,
) {
  const [width, height] = ticketPageSize;
  const ink = rgb(0.1, 0.1, 0.12);
  const grey = rgb(0.4, 0.4, 0.45);
  // The stub: the QR code and the ticket's id, on the left.
  const qrSize = 72 * mm;
  const margin = 6 * mm;
  page.drawImage(qr, { x: margin, y: height - margin - qrSize, width: qrSize, height: qrSize });
  const stub = (text: string, y: number, size: number) =>
    page.drawText(fit(text, fonts.regular, size, qrSize), {
      x: margin,
      y,
      size,
      font: fonts.regular,
      color: grey,
    });
  stub(face.ticketId, height - margin - qrSize - 5 * mm, 7);
  stub(face.position, height - margin - qrSize - 9 * mm, 7);
  page.drawLine({
    start: { x: margin * 2 + qrSize, y: margin },
    end: { x: margin * 2 + qrSize, y: height - margin },
    thickness: 0.5,
    color: grey,
    dashArray: [3, 3],
  });

  // The body: what the concert is, where and when, the seat's level and price, the kind, the terms.
  const x = margin * 3 + qrSize;
  const room = width - x - margin;
  let y = height - margin - 16;
  const line = (text: string, font: PDFFont, size: number, color = ink, gap = 4) => {
    if (!text) return;
    page.drawText(fit(text, font, size, room), { x, y, size, font, color });
    y -= size + gap;
  };
  line(face.artist, fonts.bold, 18, ink, 6);
  line(face.title, fonts.regular, 12);
  line(face.venue, fonts.regular, 11);
  line(face.dateTime, fonts.bold, 13, ink, 10);
  line(`${t('ticket.level')}: ${face.level}`, fonts.bold, 12);
  line(`${t('ticket.price')}: ${face.price}`, fonts.regular, 11, ink, 8);
  if (face.kind !== 'confirmed')
    for (const text of wrap(face.notice, fonts.bold, 9, room))
      line(text, fonts.bold, 9, face.kind === 'provisional' ? rgb(0.65, 0.35, 0) : ink, 2);
  // The terms at the foot of the body, small.
  const terms = wrap(face.terms, fonts.regular, 6.5, room);
  terms.forEach((text, i) =>
    page.drawText(text, {
      x,
      y: margin + (terms.length - 1 - i) * 8,
      size: 6.5,
      font: fonts.regular,
      color: grey,
    }),
  );
}

/** The text as the standard font can print it: characters outside its set (WinAnsi) become '?'. */
export function printable(text: string, font: PDFFont): string {
  const known = new Set(font.getCharacterSet());
  return [...text.replace(/[\u202f\u2009]/g, ' ')]
    .map((char) => (known.has(char.codePointAt(0) ?? 0) ? char : '?'))
    .join('');
}

/** One line, cut with an ellipsis when it is wider than the room. */
function fit(text: string, font: PDFFont, size: number, room: number): string {
  let out = printable(text, font);
  if (font.widthOfTextAtSize(out, size) <= room) return out;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}...`, size) > room) out = out.slice(0, -1);
  return `${out.trimEnd()}...`;
}

/** Lines of at most the room's width, broken at spaces. */
function wrap(text: string, font: PDFFont, size: number, room: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of printable(text, font).split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(next, size) > room) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
