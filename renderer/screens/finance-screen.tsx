// The manager's finance desk: revenue by concert, level, day, desk, staff member and payment method, refunds, seats
// sold against capacity and scanned, every desk's cash-up (Z-reports) and the invoices with their PDFs, all folded
// from the log this device holds (domain/desk/finance-view.ts). Every figure opens the sales behind it; every table
// exports as CSV. Keyboard-first: Alt+1…7 jump to a section, ↑ ↓ and Enter walk a table's rows, Escape closes.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { dimensions, keySeparator, projectFinance } from '../../domain/desk/finance-view';
import type {
  Dimension,
  Figure,
  FinanceDocument,
  FinanceFilter,
  MoneyLine,
  Occupancy,
  ShiftReport,
} from '../../domain/desk/finance-view';
import { formatAmount } from '../../domain/finance/amount';
import { methodKey, RevenueByDayChart, RevenueByMethodChart, SeatsChart } from '../components/finance-charts';
import { FinanceTable } from '../components/finance-table';
import type { Column } from '../components/finance-table';
import { useDesk, useDeskStore } from '../components/use-desk';
import { locale, t } from '../i18n';
import type { Seller } from '../lib/invoice-pdf';

/** This device's time zone: the date of what has no venue (a shift, an invoice). */
const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The box office's company on its invoices. Until the sync server's configuration carries it, this one. */
export const boxOfficeSeller: Seller = {
  name: 'Stagedoor Box Office',
  address: ['ul. Koncertowa 1', '00-001 Warszawa'],
  taxId: 'PL0000000000',
  timeZone: 'Europe/Warsaw',
};

const instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
const instant = (iso: string) => instantFormat.format(new Date(iso));

type Detail = { title: string; lines: readonly MoneyLine[]; facts: readonly string[] };

const sections = ['totals', 'revenue', 'refunds', 'seats', 'cashup', 'zreport', 'invoices'] as const;
type Section = (typeof sections)[number];

export function FinanceScreen() {
  const store = useDeskStore();
  const { view, orders } = useDesk();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [concertId, setConcertId] = useState('');
  const [dimension, setDimension] = useState<Dimension>('concert');
  const [detail, setDetail] = useState<(Detail & { key: string }) | null>(null);
  const headings = useRef(new Map<Section, HTMLHeadingElement>());
  const filter: FinanceFilter = useMemo(
    () => ({
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(concertId ? { concertId } : {}),
      timeZone: localZone,
    }),
    [from, to, concertId],
  );
  // The store makes `view` and `orders` anew exactly when the documents change: they key the projection.
  const finance = useMemo(() => projectFinance(store.allDocs(), filter), [store, view, orders, filter]);
  const lineById = useMemo(() => new Map(finance.lines.map((line) => [line.id, line])), [finance]);
  const concertName = (id: string) => finance.concerts.find((c) => c.concertId === id)?.name ?? id;
  const deskName = (id: string) => (id === store.device.deviceId ? `${store.device.name} (${id})` : id);
  const methodName = (method: string) => t(`finance.method.${methodKey(method)}`);
  const keyLabel: Record<Dimension, (key: string) => string> = {
    concert: concertName,
    level: (key) => {
      const [concert = '', level = ''] = key.split(keySeparator);
      return `${concertName(concert)}${keySeparator}${level}`;
    },
    day: (key) => key,
    desk: deskName,
    staff: (key) => key,
    method: methodName,
  };

  const open = (key: string, title: string, lineIds: readonly string[], facts: readonly string[] = []) =>
    setDetail(
      detail?.key === key
        ? null
        : {
            key,
            title,
            lines: lineIds.flatMap((id) => lineById.get(id) ?? []),
            facts,
          },
    );

  useEffect(() => {
    const jump = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setDetail(null);
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const section = sections[Number(event.key) - 1];
      if (!section) return;
      event.preventDefault();
      headings.current.get(section)?.focus();
    };
    window.addEventListener('keydown', jump);
    return () => window.removeEventListener('keydown', jump);
  }, []);
  const headingRef = (section: Section) => (element: HTMLHeadingElement | null) => {
    if (element) headings.current.set(section, element);
    else headings.current.delete(section);
  };

  const amount =
    (pick: (f: Figure) => number): Column<Figure>['value'] =>
    (f) =>
      formatAmount(pick(f), f.currency);
  const figureColumns = (first: Column<Figure>): Column<Figure>[] => [
    first,
    { header: t('finance.col.sales'), value: amount((f) => f.sales), numeric: true },
    { header: t('finance.col.refunds'), value: amount((f) => -f.refunds), numeric: true },
    { header: t('finance.col.net'), value: amount((f) => f.net), numeric: true },
    { header: t('finance.col.tickets'), value: (f) => String(f.tickets), numeric: true },
  ];
  const pair = (f: Figure, first: (key: string) => string): [string, string] => {
    const [a = '', b = ''] = f.key.split(keySeparator);
    return [first(a), methodName(b)];
  };
  const zColumns = (header: string, first: (key: string) => string): Column<Figure>[] => [
    { header, value: (f) => pair(f, first)[0] },
    { header: t('finance.col.method'), value: (f) => pair(f, first)[1] },
    ...figureColumns({ header: t('finance.col.currency'), value: (f) => f.currency }).slice(1),
  ];
  const lineColumns: Column<MoneyLine>[] = [
    { header: t('finance.col.when'), value: (l) => instant(l.at) },
    { header: t('finance.col.kind'), value: (l) => t(`finance.kind.${l.kind}`) },
    { header: t('finance.col.concert'), value: (l) => concertName(l.concertId) },
    { header: t('finance.col.level'), value: (l) => l.level },
    { header: t('finance.col.desk'), value: (l) => deskName(l.deskId) },
    { header: t('finance.col.staff'), value: (l) => l.staffId },
    { header: t('finance.col.method'), value: (l) => methodName(l.method) },
    { header: t('finance.col.tickets'), value: (l) => String(l.tickets), numeric: true },
    {
      header: t('finance.col.amount'),
      value: (l) => formatAmount(l.kind === 'sale' ? l.amount : -l.amount, l.currency),
      numeric: true,
    },
    { header: t('finance.col.facts'), value: (l) => l.facts.join(' ') },
  ];
  const seatColumns: Column<Occupancy>[] = [
    { header: t('finance.col.concert'), value: (o) => o.name },
    { header: t('finance.col.capacity'), value: (o) => String(o.capacity), numeric: true },
    { header: t('finance.col.sold'), value: (o) => String(o.sold), numeric: true },
    { header: t('finance.col.scanned'), value: (o) => String(o.scanned), numeric: true },
    {
      header: t('finance.col.soldShare'),
      value: (o) => (o.capacity === 0 ? '' : `${Math.round((o.sold / o.capacity) * 100)}%`),
      numeric: true,
    },
  ];
  const cash =
    (pick: (s: ShiftReport) => number | null): Column<ShiftReport>['value'] =>
    (s) => {
      const value = pick(s);
      return value === null ? '' : formatAmount(value, s.currency);
    };
  const shiftColumns: Column<ShiftReport>[] = [
    { header: t('finance.col.desk'), value: (s) => deskName(s.deskId) },
    { header: t('finance.col.staff'), value: (s) => s.userId },
    { header: t('finance.col.opened'), value: (s) => instant(s.openedAt) },
    {
      header: t('finance.col.closed'),
      value: (s) => (s.closedAt ? instant(s.closedAt) : t('finance.stillOpen')),
    },
    { header: t('drawer.float'), value: cash((s) => s.float), numeric: true },
    { header: t('drawer.sales'), value: cash((s) => s.cashSales), numeric: true },
    { header: t('drawer.refunds'), value: cash((s) => -s.cashRefunds), numeric: true },
    { header: t('drawer.paidIn'), value: cash((s) => s.paidIn), numeric: true },
    { header: t('drawer.paidOut'), value: cash((s) => -s.paidOut), numeric: true },
    { header: t('finance.col.expected'), value: cash((s) => s.expected), numeric: true },
    { header: t('drawer.counted'), value: cash((s) => s.counted), numeric: true },
    { header: t('drawer.variance'), value: cash((s) => s.variance), numeric: true },
  ];
  const documentColumns: Column<FinanceDocument>[] = [
    { header: t('finance.col.number'), value: (d) => d.number ?? t('finance.pdf.unnumbered') },
    { header: t('finance.col.kind'), value: (d) => t(`finance.document.${d.kind}`) },
    { header: t('finance.col.issued'), value: (d) => instant(d.issuedAt) },
    { header: t('finance.col.order'), value: (d) => d.orderId },
    { header: t('finance.col.buyer'), value: (d) => d.buyer?.name ?? '' },
    {
      header: t('finance.col.gross'),
      // A credit note takes its amount back from the register: listed negative, as the refunds are.
      value: (d) =>
        d.totals
          .map((total) => formatAmount(d.kind === 'credit_note' ? -total.gross : total.gross, total.currency))
          .join('; '),
      numeric: true,
    },
    {
      header: t('finance.col.paidBy'),
      value: (d) => [...new Set(d.payments.map((p) => methodName(p.method)))].join(', '),
    },
  ];

  const concerts = finance.concerts;
  const onFilterKey = (event: ReactKeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape' && (from || to || concertId)) {
      event.stopPropagation();
      setFrom('');
      setTo('');
      setConcertId('');
    }
  };

  return (
    <div className="stack" data-testid="finance">
      <div className="row spread">
        <h2>{t('finance.title')}</h2>
        <p className="hint">{t('finance.keys')}</p>
      </div>
      <form
        className="row panel"
        aria-label={t('finance.filters')}
        onSubmit={(event) => event.preventDefault()}
        onKeyDown={onFilterKey}
      >
        <label className="field">
          <span>{t('finance.from')}</span>
          <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('finance.to')}</span>
          <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('finance.concert')}</span>
          <select
            aria-label={t('finance.concert')}
            value={concertId}
            onChange={(e) => setConcertId(e.target.value)}
          >
            <option value="">{t('finance.allConcerts')}</option>
            {concerts.map((c) => (
              <option key={c.concertId} value={c.concertId}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('finance.groupBy')}</span>
          <select
            aria-label={t('finance.groupBy')}
            value={dimension}
            onChange={(e) => setDimension(e.target.value as Dimension)}
          >
            {dimensions.map((d) => (
              <option key={d} value={d}>
                {t(`finance.by.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!from && !to && !concertId}
          onClick={() => {
            setFrom('');
            setTo('');
            setConcertId('');
          }}
        >
          {t('finance.clear')}
        </button>
      </form>

      <FinanceTable
        id="finance-totals"
        title={t('finance.totals')}
        headingRef={headingRef('totals')}
        columns={figureColumns({ header: t('finance.col.currency'), value: (f) => f.currency })}
        rows={finance.total}
        rowKey={(f) => f.currency}
        empty={t('finance.noSales')}
        onOpen={(f) => open(`total:${f.currency}`, t('finance.totalIn', { currency: f.currency }), f.lines)}
        openKey={detail?.key ?? null}
      />
      <div className="grid-2">
        <RevenueByDayChart figures={finance.by.day} />
        <RevenueByMethodChart figures={finance.by.method} />
        <SeatsChart occupancy={finance.occupancy} />
      </div>

      <FinanceTable
        id={`finance-revenue-${dimension}`}
        title={t('finance.revenueBy', { by: t(`finance.by.${dimension}`) })}
        headingRef={headingRef('revenue')}
        columns={figureColumns({
          header: t(`finance.by.${dimension}`),
          value: (f) => keyLabel[dimension](f.key),
        })}
        rows={finance.by[dimension]}
        rowKey={(f) => `${f.key}\u0000${f.currency}`}
        empty={t('finance.noSales')}
        onOpen={(f) =>
          open(
            `${dimension}:${f.key}:${f.currency}`,
            `${keyLabel[dimension](f.key)} (${f.currency})`,
            f.lines,
          )
        }
        openKey={detail?.key ?? null}
      />
      {detail && (
        <section className="panel stack" aria-labelledby="finance-detail-title" data-testid="finance-detail">
          <div className="row spread">
            <h3 id="finance-detail-title">{t('finance.behind', { what: detail.title })}</h3>
            <button type="button" onClick={() => setDetail(null)}>
              {t('finance.closeDetail')}
            </button>
          </div>
          {detail.lines.length > 0 && (
            <FinanceTable
              id="finance-lines"
              title={t('finance.lines')}
              columns={lineColumns}
              rows={detail.lines}
              rowKey={(l) => l.id}
              empty={t('finance.noSales')}
            />
          )}
          {detail.facts.length > 0 && (
            <p>
              {t('finance.facts')}: <code>{detail.facts.join(' ')}</code>
            </p>
          )}
        </section>
      )}

      <FinanceTable
        id="finance-refunds"
        title={t('finance.refunds')}
        headingRef={headingRef('refunds')}
        columns={lineColumns}
        rows={finance.refunds}
        rowKey={(l) => l.id}
        empty={t('finance.noRefunds')}
      />
      <FinanceTable
        id="finance-seats"
        title={t('finance.seats')}
        headingRef={headingRef('seats')}
        columns={seatColumns}
        rows={finance.occupancy}
        rowKey={(o) => o.concertId}
        empty={t('finance.noConcerts')}
        onOpen={(o) => open(`seats:${o.concertId}`, o.name, [], o.facts)}
        openKey={detail?.key ?? null}
      />
      <FinanceTable
        id="finance-shifts"
        title={t('finance.cashup')}
        headingRef={headingRef('cashup')}
        columns={shiftColumns}
        rows={finance.shifts}
        rowKey={(s) => s.shiftId}
        empty={t('finance.noShifts')}
        onOpen={(s) =>
          open(`shift:${s.shiftId}`, t('finance.shiftOf', { desk: deskName(s.deskId) }), [], s.facts)
        }
        openKey={detail?.key ?? null}
      />
      <FinanceTable
        id="finance-z-staff"
        title={t('finance.zByStaff')}
        headingRef={headingRef('zreport')}
        columns={zColumns(t('finance.col.staff'), (key) => key)}
        rows={finance.staffMethod}
        rowKey={(f) => `${f.key}\u0000${f.currency}`}
        empty={t('finance.noSales')}
        onOpen={(f) => open(`zs:${f.key}:${f.currency}`, pair(f, (k) => k).join(', '), f.lines)}
        openKey={detail?.key ?? null}
      />
      <FinanceTable
        id="finance-z-desk"
        title={t('finance.zByDesk')}
        columns={zColumns(t('finance.col.desk'), deskName)}
        rows={finance.deskMethod}
        rowKey={(f) => `${f.key}\u0000${f.currency}`}
        empty={t('finance.noSales')}
        onOpen={(f) => open(`zd:${f.key}:${f.currency}`, pair(f, deskName).join(', '), f.lines)}
        openKey={detail?.key ?? null}
      />
      <FinanceTable
        id="finance-invoices"
        title={t('finance.invoices')}
        headingRef={headingRef('invoices')}
        columns={documentColumns}
        rows={finance.documents}
        rowKey={(d) => d.documentId}
        empty={t('finance.noInvoices')}
        actions={(d) => <PdfButton document={d} concertName={concertName} />}
      />
    </div>
  );
}

function PdfButton(props: { document: FinanceDocument; concertName: (id: string) => string }) {
  const { document: doc, concertName } = props;
  const [error, setError] = useState<string>();
  const save = async () => {
    try {
      // pdf-lib is loaded when a PDF is asked for, like the tickets' (print-tickets.tsx), not with the app.
      const { invoicePdf } = await import('../lib/invoice-pdf');
      const bytes = await invoicePdf(doc, { seller: boxOfficeSeller, concertName });
      const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/pdf' }));
      const link = window.document.createElement('a');
      link.href = url;
      link.download = `${(doc.number ?? doc.documentId).replace(/[^\w-]+/g, '-')}.pdf`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <>
      <button
        type="button"
        aria-label={t('finance.pdfOf', { document: doc.number ?? doc.documentId })}
        onClick={() => void save()}
      >
        {t('finance.pdf')}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}
