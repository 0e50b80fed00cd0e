// CSV export of the finance tables (RFC 4180): comma-separated, CRLF between records, a field quoted when it holds a
// comma, a quote or a line break, with its quotes doubled. Amounts are decimal strings with their currency ("-5.00
// PLN"), never a float, so a spreadsheet shows the figure the screen showed.
import { formatAmount } from '../../domain/finance/amount';

export type CsvField = string | number;

const needsQuotes = /[",\r\n]/;

export function csvField(value: CsvField): string {
  const text = String(value);
  return needsQuotes.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header record and one record per row; every record ends with CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

/** Minor units as a decimal string with the currency: 12345 PLN → "123.45 PLN". */
export const csvAmount = (minor: number, currency: string): string => formatAmount(minor, currency);

/** Reads RFC 4180 text back into records (the inverse of toCsv; a trailing line break ends the last record). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  while (i < text.length) {
    const char = text[i] ?? '';
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      i += 1;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === ',') endField();
    else if (char === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i += 1;
    } else if (char === '\n') {
      endField();
      records.push(record);
      record = [];
    } else field += char;
    i += 1;
  }
  if (field !== '' || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

/** Hands the text to the browser as a file download. */
export function downloadCsv(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
