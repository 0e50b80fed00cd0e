// The rejected-sale banner: on every screen, above the work, until every sale the box office rejected at this desk is
// made good. Per sale the seller hands the cash back (SaleSettlementRecorded, cash_refund, the sale's total) or
// exchanges the tickets for another level or concert with seats: the exchange is a new sale, then the settlement
// (exchange, with the new sale's id and the cash handed back, if any). Each step shows: recorded here, then settled
// (or refused) by the box office; the banner goes when the box office has settled every one.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ConcertView, SaleView } from '../../domain/desk/desk-view';
import { t } from '../i18n';
import { recordDrawerCash } from '../lib/drawer-actions';
import { recordSale } from '../lib/sale-actions';
import { drawerNote } from '../screens/drawer-screen';
import {
  asksYes,
  NotGuaranteedQuestion,
  PromiseLine,
  promiseNow,
  settlementWords,
} from '../screens/sell-screen';
import { clockTime, money } from './format';
import { LevelField } from './level-field';
import { useDesk, useDeskStore } from './use-desk';

export function RejectedBanner() {
  const { view } = useDesk();
  const open = view.sales.filter(
    (sale) => sale.status === 'rejected' && sale.settlement.status !== 'settled',
  );
  if (open.length === 0) return null;
  const concerts = new Map(view.concerts.map((c) => [c.concertId, c]));
  return (
    <section
      role="alert"
      aria-labelledby="rejected-banner-title"
      className="error-summary rejected-banner"
      data-testid="rejected-banner"
    >
      <h2 id="rejected-banner-title">{t('banner.title', { count: open.length })}</h2>
      <p>{t('banner.explain')}</p>
      <ul>
        {open.map((sale) => (
          <RejectedSale key={sale.saleId} sale={sale} concert={concerts.get(sale.concertId)} />
        ))}
      </ul>
    </section>
  );
}

function RejectedSale(props: { sale: SaleView; concert: ConcertView | undefined }) {
  const { sale, concert } = props;
  const store = useDeskStore();
  const [exchanging, setExchanging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [drawer, setDrawer] = useState<string>();
  const handled = sale.settlement.status === 'recorded';

  const refund = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const settlement = await store.record('SaleSettlementRecorded', (settlementId) => ({
        settlementId,
        saleId: sale.saleId,
        concertId: sale.concertId,
        kind: 'cash_refund',
        amount: sale.total,
        currency: sale.currency,
      }));
      const outside = await recordDrawerCash(store, {
        kind: 'refund',
        id: settlement.data.settlementId,
        amount: sale.total,
        currency: sale.currency,
        at: new Date().toISOString(),
      });
      setDrawer(drawerNote(outside));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li data-testid="rejected-sale" data-sale={sale.saleId} data-settlement={sale.settlement.status}>
      <p>
        <strong>
          {t('banner.sale', {
            time: clockTime(sale.recordedAt),
            concert: concert?.artist ?? sale.concertId,
            quantity: sale.quantity,
            level: sale.level,
            total: money(sale.total, sale.currency),
          })}
        </strong>{' '}
        {sale.reason}
      </p>
      <p data-testid="rejected-sale-step">{settlementWords(sale)}</p>
      {drawer && <p role="status">{drawer}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {!handled && !exchanging && (
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={() => void refund()}>
            {t('banner.refund', { amount: money(sale.total, sale.currency) })}
          </button>
          <button type="button" disabled={busy} onClick={() => setExchanging(true)}>
            {t('banner.exchange')}
          </button>
        </div>
      )}
      {!handled && exchanging && <Exchange sale={sale} onDone={() => setExchanging(false)} />}
    </li>
  );
}

/** The exchange: a new sale of another level or concert, paid with the rejected sale's money, then the settlement. */
function Exchange(props: { sale: SaleView; onDone: () => void }) {
  const { sale, onDone } = props;
  const store = useDeskStore();
  const { view, connection } = useDesk();
  const onSale = view.concerts.filter((c) => c.status === 'published' && c.currency === sale.currency);
  const [concertId, setConcertId] = useState(sale.concertId);
  const concert = onSale.find((c) => c.concertId === concertId) ?? onSale[0];
  const [levelName, setLevelName] = useState('');
  const level =
    concert?.levels.find((l) => l.name === levelName) ??
    concert?.levels.find((l) => !(l.name === sale.level && concert.concertId === sale.concertId)) ??
    concert?.levels[0];
  const [quantity, setQuantity] = useState(String(sale.quantity));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  // A sale recorded whose settlement could not be: the next try records the settlement only.
  const recordedSale = useRef<string | undefined>(undefined);

  const count = /^\s*\d+\s*$/.test(quantity) ? Number(quantity) : NaN;
  const total = level && count >= 1 && count <= 1000 ? level.price * count : undefined;
  const handBack = total === undefined ? undefined : sale.total - total;
  const idPrefix = `exchange-${sale.saleId}`;

  const exchange = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!concert || !level) return setError(t('banner.noConcert'));
    if (total === undefined || handBack === undefined) return setError(t('sell.badQuantity'));
    if (concert.concertId === sale.concertId && level.name === sale.level)
      return setError(t('banner.sameLevel', { level: sale.level }));
    const promised = promiseNow(store, concert, level, count);
    if (asksYes(promised, connection.online, level, count) && !confirming && !recordedSale.current)
      return setConfirming(true);
    setBusy(true);
    setError(undefined);
    try {
      if (!recordedSale.current) {
        // Paid with the rejected sale's cash, and what the buyer adds when the new tickets cost more.
        const made = await recordSale(store, {
          concert,
          level,
          quantity: count,
          tendered: total,
          promise: promised,
          // The rejected sale's cash is in the drawer already: only what the buyer adds comes in.
          drawerCash: Math.max(0, total - sale.total),
        });
        recordedSale.current = made._id;
      }
      const exchangeSaleId = recordedSale.current;
      await store.record('SaleSettlementRecorded', (settlementId) => ({
        settlementId,
        saleId: sale.saleId,
        concertId: sale.concertId,
        kind: 'exchange',
        amount: Math.max(0, handBack),
        currency: sale.currency,
        exchangeSaleId,
      }));
      if (handBack > 0)
        await recordDrawerCash(store, {
          kind: 'refund',
          id: exchangeSaleId,
          amount: handBack,
          currency: sale.currency,
          at: new Date().toISOString(),
        });
      onDone();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => void exchange(e)}
      onKeyDown={(e) => e.key === 'Escape' && !confirming && onDone()}
      aria-label={t('banner.exchangeTitle')}
    >
      <div className="row">
        <div className="field">
          <label htmlFor={`${idPrefix}-concert`}>{t('banner.concert')}</label>
          <select
            id={`${idPrefix}-concert`}
            autoFocus
            value={concert?.concertId ?? ''}
            onChange={(e) => {
              setConcertId(e.target.value);
              setLevelName('');
              setConfirming(false);
            }}
          >
            {onSale.map((c) => (
              <option key={c.concertId} value={c.concertId}>
                {[c.artist, c.title, c.city].filter(Boolean).join(' · ')}
              </option>
            ))}
          </select>
        </div>
        <LevelField
          id={`${idPrefix}-level`}
          concert={concert}
          value={level?.name ?? ''}
          onChange={(name) => {
            setLevelName(name);
            setConfirming(false);
          }}
        />
        <label className="field">
          <span>{t('banner.quantity')}</span>
          <input
            inputMode="numeric"
            value={quantity}
            onChange={(e) => {
              setQuantity(e.target.value);
              setConfirming(false);
            }}
          />
        </label>
      </div>
      {handBack !== undefined && (
        <p data-testid="exchange-difference">
          {handBack >= 0
            ? t('banner.handBack', { amount: money(handBack, sale.currency) })
            : t('banner.takeMore', { amount: money(-handBack, sale.currency) })}
        </p>
      )}
      {concert && level && total !== undefined && !confirming && (
        <PromiseLine concert={concert} level={level} quantity={count} />
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {confirming && level ? (
        <NotGuaranteedQuestion
          level={level}
          count={count}
          onConfirm={() => void exchange()}
          onBack={() => setConfirming(false)}
        />
      ) : (
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('banner.exchangeSubmit')}
          </button>
          <button type="button" onClick={onDone}>
            {t('banner.cancel')}
          </button>
        </div>
      )}
    </form>
  );
}
