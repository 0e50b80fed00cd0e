// Invoice numbering: one stream per series and year, kept by the authority alone, that hands out 1, 2, 3, … with no
// gap and no repeat. A document (an invoice, or a credit note in its own series) gets its number exactly once: asking
// again for the same document returns nothing new, so a request delivered twice or decided again is harmless.
import { assertNever, DomainError } from '../shared/decider';
import type { NumberingEvent } from './events';
import { seriesPattern } from './events';

export type NumberingCommand = {
  type: 'AssignInvoiceNumber';
  data: { series: string; year: number; documentId: string };
};

export type NumberingState =
  | { status: 'unused' }
  | {
      status: 'in_use';
      series: string;
      year: number;
      /** The last sequence handed out. */
      last: number;
      /**
       * documentId → number, for every document numbered in this series and year. It grows in place: one authority
       * owns this state, and copying a year of numbers per event would be quadratic.
       */
      assigned: Map<string, string>;
    };

export const initialNumberingState = (): NumberingState => ({ status: 'unused' });

export const numberingRuleCodes = [
  'invalid_series',
  'invalid_year',
  'invalid_document',
  'wrong_series',
] as const;
export type NumberingRuleCode = (typeof numberingRuleCodes)[number];

export class NumberingRuleBroken extends DomainError<NumberingRuleCode> {}

const broken = (code: NumberingRuleCode, message: string) => new NumberingRuleBroken(code, message);

/** FV/2026/000123: series, year, and the sequence in at least six digits. */
export const formatInvoiceNumber = (series: string, year: number, sequence: number): string =>
  `${series}/${year}/${String(sequence).padStart(6, '0')}`;

/** The stream that numbers a series in a year. */
export const numberingStream = (series: string, year: number): string => `invoice-numbers-${series}-${year}`;

export function decideNumbering(command: NumberingCommand, state: NumberingState): NumberingEvent[] {
  switch (command.type) {
    case 'AssignInvoiceNumber': {
      const { series, year, documentId } = command.data;
      if (!seriesPattern.test(series))
        throw broken('invalid_series', `Series "${series}" must be 1 to 6 capital letters, such as FV.`);
      if (!Number.isInteger(year) || year < 2000 || year > 9999)
        throw broken('invalid_year', `The year ${year} is not one an invoice can be numbered in.`);
      if (!documentId.trim()) throw broken('invalid_document', 'Say which document the number is for.');
      if (state.status === 'unused') return [assigned(series, year, 1, documentId)];
      if (state.series !== series || state.year !== year)
        throw broken(
          'wrong_series',
          `This stream numbers ${state.series} in ${state.year}: ask the stream of ${series} in ${year}.`,
        );
      if (state.assigned.has(documentId)) return []; // numbered before: exactly once per document
      return [assigned(series, year, state.last + 1, documentId)];
    }
    default:
      return assertNever(command.type);
  }
}

const assigned = (series: string, year: number, sequence: number, documentId: string): NumberingEvent => ({
  type: 'InvoiceNumberAssigned',
  data: { series, year, sequence, number: formatInvoiceNumber(series, year, sequence), documentId },
});

export function evolveNumbering(state: NumberingState, event: NumberingEvent): NumberingState {
  switch (event.type) {
    case 'InvoiceNumberAssigned': {
      const { series, year, sequence, number, documentId } = event.data;
      if (state.status === 'unused')
        return { status: 'in_use', series, year, last: sequence, assigned: new Map([[documentId, number]]) };
      state.assigned.set(documentId, number);
      return { ...state, last: Math.max(state.last, sequence) };
    }
    default:
      return assertNever(event.type);
  }
}

export const numberingDecider = {
  decide: decideNumbering,
  evolve: evolveNumbering,
  initialState: initialNumberingState,
};
