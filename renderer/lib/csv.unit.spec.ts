// CSV as RFC 4180 says: fields with commas, quotes or line breaks quoted, quotes doubled, CRLF after every record;
// amounts as decimal strings with their currency; and what is written reads back the same.
import { describe, expect, it } from 'vitest';
import { csvAmount, csvField, parseCsv, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes only the fields that need it, doubling their quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Brodka, Wiosna')).toBe('"Brodka, Wiosna"');
    expect(csvField('the "Front" level')).toBe('"the ""Front"" level"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField(42)).toBe('42');
  });

  it('ends every record with CRLF, the header first', () => {
    expect(toCsv(['Desk', 'Net'], [['Desk A', '50.00 PLN']])).toBe('Desk,Net\r\nDesk A,50.00 PLN\r\n');
  });

  it('writes amounts as decimal strings with the currency, never through a float', () => {
    expect(csvAmount(12_345, 'PLN')).toBe('123.45 PLN');
    expect(csvAmount(-500, 'PLN')).toBe('-5.00 PLN');
    expect(csvAmount(7, 'EUR')).toBe('0.07 EUR');
  });

  it('reads back what it wrote', () => {
    const rows = [
      ['a,b', 'say "hi"', 'line\r\nbreak'],
      ['', 'x', '1.00 PLN'],
    ];
    expect(parseCsv(toCsv(['one', 'two', 'three'], rows))).toEqual([['one', 'two', 'three'], ...rows]);
  });
});
