// "Print tickets" / "Reprint" on a sale's row: the sale's codes (signed with this desk's certified key, or the ones it
// was printed with before), laid out as a PDF, sent to the OS printer through the desktop shell, or downloaded in the
// browser build; then recorded in the concert's log as TicketsPrinted, so a reprint is known and prints the same codes.
import { useEffect, useState } from 'react';
import type { ConcertView, SaleView } from '../../domain/desk/desk-view';
import { t } from '../i18n';
import { deskKeyOf } from '../lib/desk-key';
import { shellBridge } from '../lib/shell-bridge';
import { lastPrintOf, NoCertificate, printCounts, saleCodes, ticketKindOf } from '../lib/ticket-codes';
import type { SaleCodes } from '../lib/ticket-codes';
import type * as PdfLayoutModule from '../lib/ticket-pdf';
import type { DeskStore } from '../store/desk-store';
import { concertDate } from './format';
import { useConcertLog } from './use-concert-log';
import { authorityClock, useDeskStore } from './use-desk';

type PdfLayout = typeof PdfLayoutModule;

// The layout (pdf-lib and qrcode, most of a megabyte) is a chunk of its own: the sell screen does not wait for it. It
// is fetched once the sales list is shown, so a desk that goes offline later still prints (the service worker caches
// every chunk too); a fetch that failed is tried again at the next print.
let layout: Promise<PdfLayout> | undefined;
const pdfLayout = () => {
  layout ??= import('../lib/ticket-pdf').catch((error: unknown) => {
    layout = undefined;
    throw error;
  });
  return layout;
};

/** How often each of this desk's sales was printed (re-read when the log changes). */
export const usePrintCounts = (): Map<string, number> => useConcertLog(printCounts, []);

/**
 * Whether this desk can sign tickets: the concerts its key is certified for and until when, or that it is not (yet).
 * Looked at again when the desk's trust changes.
 */
export function SigningStatus() {
  const store = useDeskStore();
  const [status, setStatus] = useState<{ concerts: number; until: string } | null>();
  useEffect(() => {
    pdfLayout().catch(() => undefined);
  }, []);
  useEffect(() => {
    let current = true;
    const keeper = deskKeyOf(store);
    const show = () =>
      void keeper
        .certificates()
        .then((certificates) => {
          if (!current) return;
          const concerts = new Set(certificates.flatMap((c) => c.concertIds));
          const until = certificates.map((c) => c.notAfter).sort()[0];
          setStatus(until === undefined ? null : { concerts: concerts.size, until });
        })
        .catch(() => current && setStatus(null));
    show();
    // A certificate arrives with the catalogue's replication; one ends with time (looked at every minute).
    const stopListening = keeper.onChange(show);
    const timer = setInterval(show, 60_000);
    return () => {
      current = false;
      stopListening();
      clearInterval(timer);
    };
  }, [store]);
  if (status === undefined) return null;
  return (
    <p className="hint" data-testid="signing-status" data-certified={status ? 'yes' : 'no'}>
      {status
        ? t('print.certified', {
            count: status.concerts,
            time: concertDate(status.until, Intl.DateTimeFormat().resolvedOptions().timeZone),
          })
        : t('print.notCertified')}
    </p>
  );
}

type Outcome = { kind: 'done' | 'failed'; message: string } | undefined;

export function PrintTickets(props: { sale: SaleView; concert: ConcertView | undefined; printed: number }) {
  const { sale, concert, printed } = props;
  const store = useDeskStore();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const kind = ticketKindOf(sale.status);
  if (kind === undefined || !concert) return null;

  const print = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome(await printSale(store, sale, concert));
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      setOutcome({
        kind: 'failed',
        message: failure instanceof NoCertificate ? t('print.noCertificate') : t('print.failed', { reason }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        data-testid="print-tickets"
        disabled={busy}
        onClick={() => void print()}
        title={t('print.label', { count: sale.quantity, kind: t(`print.kind.${kind}`) })}
      >
        {busy ? t('print.printing') : printed > 0 ? t('print.reprint') : t('print.print')}
      </button>{' '}
      {printed > 0 && <small data-testid="print-count">{t('print.printedBefore', { count: printed })}</small>}
      {outcome && (
        <small
          role={outcome.kind === 'failed' ? 'alert' : 'status'}
          data-testid="print-outcome"
          className={outcome.kind === 'failed' ? 'error' : 'notice'}
        >
          {' '}
          {outcome.message}
        </small>
      )}
    </>
  );
}

/** Now on the authority's clock as this desk last heard it (its own clock may be a day off), else its own clock. */
function authorityNow(store: DeskStore): string {
  const clock = authorityClock(store);
  if (!clock) return new Date().toISOString();
  return new Date(Date.parse(clock.lastAuthorityTime) + clock.monotonicElapsedMs).toISOString();
}

/** Makes the sale's PDF, prints or downloads it, and records the print once it went out. */
async function printSale(store: DeskStore, sale: SaleView, concert: ConcertView): Promise<Outcome> {
  const previous = lastPrintOf(store.concertDocs(), sale.saleId);
  const signedAt = authorityNow(store);
  const signer = await deskKeyOf(store).signerFor(sale.concertId, signedAt);
  const codes = await saleCodes({ sale, concert, previous, signer, signedAt });
  const { ticketFaces, ticketsPdf } = await pdfLayout();
  const pdf = await ticketsPdf(ticketFaces(sale, concert, codes));
  const params = { count: codes.codes.length, kind: t(`print.kind.${codes.kind}`) };
  const bridge = shellBridge();
  if (bridge?.printPdf) {
    const result = await bridge.printPdf(pdf);
    if (!result.printed) return undefined;
    await recordPrint(store, sale, codes);
    return { kind: 'done', message: t('print.sent', params) };
  }
  download(pdf, `tickets-${sale.saleId}.pdf`);
  await recordPrint(store, sale, codes);
  return { kind: 'done', message: t('print.saved', params) };
}

function recordPrint(store: DeskStore, sale: SaleView, codes: SaleCodes) {
  return store.record('TicketsPrinted', (printId) => ({
    printId,
    saleId: sale.saleId,
    concertId: sale.concertId,
    ticketIds: codes.ticketIds,
    codes: codes.codes,
    reprint: codes.reprint,
    at: new Date().toISOString(),
  }));
}

/** The browser build's print: the PDF as a download (the browser's viewer prints it from there). */
function download(pdf: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([pdf as BlobPart], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; the URL can go a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
