// A finance table with its CSV export: the file holds exactly the strings the table shows, column for column, so a
// spreadsheet and the screen never disagree. Keyboard-first: rows that open their detail take the focus (↑ ↓ move
// between them, Enter opens), and the export is a button beside the title.
import type { KeyboardEvent, ReactNode } from 'react';
import { t } from '../i18n';
import { downloadCsv, toCsv } from '../lib/csv';

export type Column<R> = { header: string; value: (row: R) => string; numeric?: boolean };

export type FinanceTableProps<R> = {
  /** The table's test id and the CSV file's name. */
  id: string;
  title: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  empty: string;
  /** Opens what is behind a row (its sales, its facts). */
  onOpen?: (row: R) => void;
  /** The row opened, marked as such. */
  openKey?: string | null;
  /** A cell of buttons after the data (not exported). */
  actions?: (row: R) => ReactNode;
  /** Focusable heading, for the screen's section shortcuts. */
  headingRef?: (element: HTMLHeadingElement | null) => void;
};

/** The table as CSV: the header and the cells as shown. */
export function tableCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return toCsv(
    columns.map((c) => c.header),
    rows.map((row) => columns.map((c) => c.value(row))),
  );
}

export function FinanceTable<R>(props: FinanceTableProps<R>) {
  const { id, title, columns, rows, rowKey, empty, onOpen, openKey, actions, headingRef } = props;
  const move = (event: KeyboardEvent<HTMLTableRowElement>, row: R) => {
    const target = event.currentTarget;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen?.(row);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? target.nextElementSibling : target.previousElementSibling;
      if (next instanceof HTMLElement) next.focus();
    }
  };
  const headingId = `${id}-title`;
  return (
    <section className="panel stack finance-table" aria-labelledby={headingId}>
      <div className="row spread">
        <h3 id={headingId} tabIndex={-1} ref={headingRef}>
          {title}
        </h3>
        <button
          type="button"
          aria-label={t('finance.exportCsvOf', { table: title })}
          disabled={rows.length === 0}
          onClick={() => downloadCsv(`${id}.csv`, tableCsv(columns, rows))}
        >
          {t('finance.exportCsv')}
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <div style={{ overflowX: 'auto' }}>
          <table data-testid={id} aria-labelledby={headingId} style={{ fontSize: '0.875rem' }}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} scope="col" style={c.numeric ? { textAlign: 'right' } : undefined}>
                    {c.header}
                  </th>
                ))}
                {actions && (
                  <th scope="col">
                    <span className="visually-hidden">{t('finance.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const key = rowKey(row);
                return (
                  <tr
                    key={key}
                    tabIndex={onOpen ? 0 : undefined}
                    aria-current={openKey === key ? 'true' : undefined}
                    onKeyDown={onOpen ? (event) => move(event, row) : undefined}
                    onClick={onOpen ? () => onOpen(row) : undefined}
                    style={onOpen ? { cursor: 'pointer' } : undefined}
                  >
                    {columns.map((c) => (
                      <td
                        key={c.header}
                        // Ids are long and have no spaces: they wrap anywhere rather than push the figures off.
                        style={
                          c.numeric
                            ? { textAlign: 'right', whiteSpace: 'nowrap' }
                            : { overflowWrap: 'anywhere' }
                        }
                      >
                        {c.value(row)}
                      </td>
                    ))}
                    {actions && <td>{actions(row)}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
