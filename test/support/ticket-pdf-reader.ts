// Reads a ticket PDF back as a scanner would see it: its pages, and the text of the QR code drawn on each, decoded
// from the embedded image with jsQR. For the PDF spec and the print e2e (Node side).
import jsQR from 'jsqr';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';

export type ReadTicketPdf = { pages: { width: number; height: number; codes: string[] }[] };

export async function readTicketPdf(bytes: Uint8Array): Promise<ReadTicketPdf> {
  const pdf = await PDFDocument.load(bytes);
  return {
    pages: pdf.getPages().map((page) => {
      const { width, height } = page.getSize();
      const xObjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
      const codes: string[] = [];
      for (const [, ref] of xObjects?.entries() ?? []) {
        const stream = pdf.context.lookup(ref);
        if (!(stream instanceof PDFRawStream)) continue;
        if (stream.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
        const text = decodeImage(stream);
        if (text !== undefined) codes.push(text);
      }
      return { width, height, codes };
    }),
  };
}

/** The QR text of an 8-bit RGB or grey image stream, or undefined when it holds none. */
function decodeImage(stream: PDFRawStream): string | undefined {
  const number = (name: string) => stream.dict.lookup(PDFName.of(name), PDFNumber).asNumber();
  const width = number('Width');
  const height = number('Height');
  const raw = decodePDFRawStream(stream).decode();
  const channels = raw.length / (width * height);
  if (channels !== 1 && channels !== 3) return undefined;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = raw[i * channels + (channels === 3 ? c : 0)] ?? 0;
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, width, height)?.data;
}
