// Selling at the desk, keyboard first: concert and level stay chosen after a sale, so a repeat sale is the quantity
// and Enter. A sale is recorded locally at once (it never waits for the network). Before payment the desk tells the
// promise it can keep: guaranteed, from this desk's block of seats (domain/allotment: the authority confirms it
// unconditionally), or not guaranteed, which the seller confirms with a second Enter. The sale then shows as
// guaranteed or pending until the authority confirms or rejects it.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { deskPromise, guaranteeLeftMs } from '../../domain/allotment/allotment';
import type { DeskPromise } from '../../domain/allotment/allotment';
import { deskConflicts } from '../../domain/desk/desk-view';
import type { ConcertView, DeskBlock, LevelView, SaleState, SaleView } from '../../domain/desk/desk-view';
import { orderOfSale } from '../../domain/desk/order-view';
import type { OrderView } from '../../domain/desk/order-view';
import { concertDatabase } from '../../domain/authority/concert-authority';
import { Chip } from '../components/chip';
import type { Tone } from '../components/chip';
import { clockTime, concertDate, money } from '../components/format';
import { LevelField } from '../components/level-field';
import { PrintTickets, SigningStatus, usePrintCounts } from '../components/print-tickets';
import { RefundSale } from '../components/refund-sale';
import { authorityClock, useDesk, useDeskStore, useNow } from '../components/use-desk';
import type { DeskStore } from '../store/desk-store';
import { t } from '../i18n';
import { parseAmount } from '../lib/money-input';
import { recordSale } from '../lib/sale-actions';
import { OrderStepChip } from './order-panel';
import { drawerNote } from './drawer-screen';

type Choice = { concertId: string; level: string };

const choiceKey = 'stagedoor.sell.choice';

function loadChoice(): Choice {
  try {
    return {
      concertId: '',
      level: '',
      ...(JSON.parse(localStorage.getItem(choiceKey) ?? '{}') as Partial<Choice>),
    };
  } catch {
    return { concertId: '', level: '' };
  }
}

const concertLabel = (concert: ConcertView) =>
  [concert.artist, concert.title, concert.city].filter(Boolean).join(' · ');

/**
 * What this desk may promise for a sale of `quantity` seats of the level now: guaranteed only inside its block as it
 * last heard it, on the authority's time as last heard plus the monotonic time since (never the wall clock).
 */
export function promiseNow(
  store: DeskStore,
  concert: ConcertView,
  level: LevelView,
  quantity: number,
): DeskPromise {
  const clock = authorityClock(store);
  if (!concert.allotments || !level.block || !clock || !(quantity >= 1)) return 'pending';
  const { pendingSeats, returningUnsold } = level.block;
  const sale = { deviceId: store.device.deviceId, level: level.name, quantity };
  return deskPromise(concert.allotments, sale, { pendingSeats, returningUnsold, ...clock });
}

/**
 * The promise in plain words, as the seller reads it to the buyer before payment. Looked at again every second: a
 * block's guarantee ends with time (its lapse), on the monotonic clock.
 */
export function PromiseLine(props: { concert: ConcertView; level: LevelView; quantity: number }) {
  const { concert, level, quantity } = props;
  const store = useDeskStore();
  const { connection } = useDesk();
  useNow();
  const promise = promiseNow(store, concert, level, quantity);
  return (
    // A sentence that wraps in the narrow sell column (a chip would not), in the colours of its state.
    <p
      data-testid="sell-promise"
      data-promise={promise}
      data-asks={asksYes(promise, connection.online, level, quantity) ? 'yes' : 'no'}
      aria-live="polite"
      className={promise === 'guaranteed' ? 'notice' : 'confirm'}
    >
      <span aria-hidden="true">{promise === 'guaranteed' ? '✓ ' : '… '}</span>
      {promise === 'guaranteed'
        ? t('sell.guaranteed', { count: level.block?.blockLeft ?? 0 })
        : t(connection.online ? 'sell.notGuaranteedOnline' : 'sell.notGuaranteed')}
      {promise === 'pending' && level.block && ` ${whyNotFromBlock(store, concert, level.block, quantity)}`}
    </p>
  );
}

/**
 * Whether a sale needs the seller's explicit yes before it is recorded: one that is not guaranteed while this desk is
 * offline (it may be refused long after the buyer left), or beyond the seats this desk believes are left. Online,
 * a sale within them is decided in a moment, before the tickets are handed over: asking every time would only slow
 * the queue.
 */
export const asksYes = (promise: DeskPromise, online: boolean, level: LevelView, quantity: number): boolean =>
  promise === 'pending' && (!online || quantity > level.believedLeft);

/** Why a desk that holds seats of the level can't promise this sale from them, in words. */
function whyNotFromBlock(store: DeskStore, concert: ConcertView, block: DeskBlock, quantity: number): string {
  const clock = authorityClock(store);
  if (!clock) return t('sell.whyNoClock');
  if (guaranteeLeftMs(block.lapsesAt, clock.lastAuthorityTime, clock.monotonicElapsedMs) <= 0)
    return t('sell.whyLapsing', { time: concertDate(block.lapsesAt, concert.timezone) });
  if (block.returningUnsold) return t('sell.whyReturning');
  return t('sell.whyBlockShort', { count: block.blockLeft, quantity });
}

export function SellScreen() {
  const store = useDeskStore();
  const { view, connection } = useDesk();
  const [choice, setChoice] = useState(loadChoice);
  const [quantity, setQuantity] = useState('1');
  const [tendered, setTendered] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const quantityInput = useRef<HTMLInputElement>(null);

  useEffect(() => localStorage.setItem(choiceKey, JSON.stringify(choice)), [choice]);

  const concert = view.concerts.find((c) => c.concertId === choice.concertId);
  const level = concert?.levels.find((l) => l.name === choice.level) ?? concert?.levels[0];
  const count = /^\s*\d+\s*$/.test(quantity) ? Number(quantity) : NaN;
  const total = level && Number.isFinite(count) ? level.price * count : undefined;
  const cash = tendered.trim() === '' ? total : parseAmount(tendered);
  const change = total !== undefined && cash !== undefined ? cash - total : undefined;
  const onSale = concert?.status === 'published';

  const choose = (next: Partial<Choice>) => {
    setChoice({ ...choice, ...next });
    setConfirming(false);
    setError(undefined);
  };

  const sell = async (event?: FormEvent) => {
    event?.preventDefault();
    setNotice(undefined);
    if (!concert || !level) return setError(t('sell.chooseConcert'));
    if (!onSale)
      return setError(
        t('sell.notOnSale', { concert: concertLabel(concert), status: t(`status.${concert.status}`) }),
      );
    if (!(count >= 1 && count <= 1000) || total === undefined) return setError(t('sell.badQuantity'));
    if (cash === undefined) return setError(t('sell.badTendered'));
    if (cash < total)
      return setError(t('sell.shortTendered', { short: money(total - cash, concert.currency) }));
    // Not guaranteed: say so before payment, and sell only when the seller confirms; the authority decides.
    const promised = promiseNow(store, concert, level, count);
    if (asksYes(promised, connection.online, level, count) && !confirming) {
      setError(undefined);
      return setConfirming(true);
    }
    setBusy(true);
    try {
      const made = await recordSale(store, {
        concert,
        level,
        quantity: count,
        tendered: cash,
        promise: promised,
      });
      const recorded = t('sell.recorded', {
        quantity: count,
        level: level.name,
        change: money(cash - total, concert.currency),
      });
      setNotice([recorded, drawerNote(made.drawer)].filter(Boolean).join(' '));
      setError(undefined);
      setConfirming(false);
      setTendered('');
      quantityInput.current?.focus();
      quantityInput.current?.select();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="sell-layout">
        <section aria-labelledby="sell-title" className="panel">
          <h2 id="sell-title">{t('sell.title')}</h2>
          <form onSubmit={(e) => void sell(e)} noValidate className="stack" aria-describedby="sell-keys">
            {/* Labels point at their selects: a select inside its label would lend the label its options' text. */}
            <div className="field">
              <label htmlFor="sell-concert">{t('sell.concert')}</label>
              <select
                id="sell-concert"
                value={concert ? concert.concertId : ''}
                onChange={(e) => choose({ concertId: e.target.value, level: '' })}
              >
                <option value="" disabled>
                  {t('sell.chooseConcert')}
                </option>
                {view.concerts.map((c) => (
                  <option key={c.concertId} value={c.concertId} disabled={c.status !== 'published'}>
                    {c.status === 'published'
                      ? concertLabel(c)
                      : `${concertLabel(c)} (${t(`status.${c.status}`)})`}
                  </option>
                ))}
              </select>
            </div>
            {!view.concerts.some((c) => c.status === 'published') && (
              <p className="hint">{t('sell.noConcerts')}</p>
            )}
            {concert && !onSale && (
              <p role="alert" className="error">
                {t('sell.notOnSale', {
                  concert: concertLabel(concert),
                  status: t(`status.${concert.status}`),
                })}
              </p>
            )}
            <LevelField
              id="sell-level"
              concert={concert}
              value={level?.name ?? ''}
              onChange={(name) => choose({ level: name })}
            />
            <div className="row">
              <label className="field">
                <span>{t('sell.quantity')}</span>
                <input
                  ref={quantityInput}
                  autoFocus
                  inputMode="numeric"
                  value={quantity}
                  onChange={(e) => {
                    setQuantity(e.target.value);
                    setConfirming(false);
                  }}
                  onFocus={(e) => e.target.select()}
                />
              </label>
              <label className="field">
                <span>{t('sell.tendered')}</span>
                <input
                  inputMode="decimal"
                  value={tendered}
                  onChange={(e) => setTendered(e.target.value)}
                  aria-describedby="sell-tendered-hint"
                  placeholder={total !== undefined && concert ? money(total, concert.currency) : ''}
                />
                <small id="sell-tendered-hint" className="hint">
                  {t('sell.tenderedHint')}
                </small>
              </label>
            </div>
            <dl className="totals">
              <div>
                <dt>{t('sell.total')}</dt>
                <dd data-testid="sell-total">
                  {total !== undefined && concert ? money(total, concert.currency) : '—'}
                </dd>
              </div>
              <div>
                <dt>{t('sell.change')}</dt>
                <dd data-testid="sell-change">
                  {change !== undefined && change >= 0 && concert ? money(change, concert.currency) : '—'}
                </dd>
              </div>
            </dl>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            {concert && level && onSale && count >= 1 && !confirming && (
              <PromiseLine concert={concert} level={level} quantity={count} />
            )}
            {confirming && level ? (
              <NotGuaranteedQuestion
                level={level}
                count={count}
                onConfirm={() => void sell()}
                onBack={() => setConfirming(false)}
              />
            ) : (
              <button type="submit" className="primary large" disabled={busy || !onSale}>
                {t('sell.submit')}
              </button>
            )}
            <p id="sell-keys" className="hint">
              {t('sell.keys')}
            </p>
            {notice && (
              <p role="status" className="notice">
                {notice}
              </p>
            )}
          </form>
        </section>
        <div className="stack">
          {concert && <Availability concert={concert} />}
          <DeskConflicts />
          <Sales />
        </div>
      </div>
    </>
  );
}

/** The seller's explicit yes to a sale that is not guaranteed: Enter sells, Escape goes back to the quantity. */
export function NotGuaranteedQuestion(props: {
  level: LevelView;
  count: number;
  onConfirm: () => void;
  onBack: () => void;
}) {
  return (
    <div
      role="alertdialog"
      aria-labelledby="over-text"
      className="confirm"
      onKeyDown={(e) => e.key === 'Escape' && props.onBack()}
    >
      <p id="over-text">
        {t('sell.notGuaranteedConfirm')}{' '}
        {props.count > props.level.believedLeft &&
          t('sell.overAvailable', { count: props.level.believedLeft, level: props.level.name })}
      </p>
      <div className="row">
        <button type="button" className="primary" autoFocus onClick={props.onConfirm}>
          {t('sell.confirmOver')}
        </button>
        <button type="button" onClick={props.onBack}>
          {t('sell.back')}
        </button>
      </div>
    </div>
  );
}

/** Live: the desk heard from the authority within this long, and this concert had no unread change. */
const liveWithinMs = 15_000;

function Availability({ concert }: { concert: ConcertView }) {
  const { connection, syncedAt } = useDesk();
  const now = useNow();
  const synced = syncedAt[concertDatabase(concert.concertId)];
  const live = connection.online && synced !== undefined && now - synced < liveWithinMs;
  return (
    <section className="panel" aria-labelledby="availability-title">
      <h2 id="availability-title">{t('availability.title')}</h2>
      <table aria-labelledby="availability-title">
        <thead>
          <tr>
            <th scope="col">{t('availability.level')}</th>
            <th scope="col">{t('availability.price')}</th>
            <th scope="col">{t('availability.capacity')}</th>
            <th scope="col">{t('availability.sold')}</th>
            <th scope="col">{t('availability.left')}</th>
            <th scope="col">{t('availability.pendingHere')}</th>
            <th scope="col">{t('sell.blockHere')}</th>
          </tr>
        </thead>
        <tbody>
          {concert.levels.map((level) => (
            <tr key={level.name}>
              <th scope="row">{level.name}</th>
              <td>{money(level.price, concert.currency)}</td>
              <td>{level.capacity}</td>
              <td>{level.allocated}</td>
              <td data-testid="left" className="figure">
                {level.left}
              </td>
              <td>{level.pendingHere}</td>
              <td data-testid="block-left">
                {level.block
                  ? t('sell.blockLeft', {
                      count: level.block.blockLeft,
                      time: concertDate(level.block.lapsesAt, concert.timezone),
                    })
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="freshness">
        {live
          ? t('availability.live')
          : synced === undefined
            ? t('availability.neverSynced')
            : t('availability.stale', { time: clockTime(synced) })}
      </p>
    </section>
  );
}

/** Where the order a confirmed sale became stands: its tickets, then its invoice and number. */
function SaleOrder(props: { order: OrderView | undefined }) {
  const { order } = props;
  if (!order) return null;
  return (
    <>
      <OrderStepChip step={order.step} />
      {order.invoiceNumber && ` ${order.invoiceNumber}`}
    </>
  );
}

function Sales() {
  const { view, orders } = useDesk();
  const concerts = new Map(view.concerts.map((c) => [c.concertId, c]));
  const printed = usePrintCounts();
  return (
    <section className="panel" aria-labelledby="sales-title">
      <h2 id="sales-title">{t('sales.title')}</h2>
      <SigningStatus />
      {view.sales.length === 0 ? (
        <p className="hint">{t('sales.none')}</p>
      ) : (
        <table aria-labelledby="sales-title">
          <thead>
            <tr>
              <th scope="col">{t('sales.time')}</th>
              <th scope="col">{t('sales.concert')}</th>
              <th scope="col">{t('sales.level')}</th>
              <th scope="col">{t('sales.quantity')}</th>
              <th scope="col">{t('sales.total')}</th>
              <th scope="col">{t('sales.status')}</th>
              <th scope="col">{t('sales.reason')}</th>
              <th scope="col">{t('sales.order')}</th>
              <th scope="col">{t('sales.tickets')}</th>
            </tr>
          </thead>
          <tbody>
            {view.sales.slice(0, 50).map((sale) => (
              <tr key={sale.saleId} data-testid="sale" data-status={sale.status}>
                <td>{clockTime(sale.recordedAt)}</td>
                <td>{concerts.get(sale.concertId)?.artist ?? sale.concertId}</td>
                <td>{sale.level}</td>
                <td>{sale.quantity}</td>
                <td>{money(sale.total, sale.currency)}</td>
                <td>
                  <SaleChip status={sale.status} />
                </td>
                <td data-testid="sale-reason">
                  {sale.reason ?? ''}
                  {sale.status === 'rejected' && (
                    <>
                      {' '}
                      <small data-testid="sale-settlement">{settlementWords(sale)}</small>
                    </>
                  )}
                </td>
                <td data-testid="sale-order">
                  {sale.status === 'confirmed' && <SaleOrder order={orderOfSale(orders, sale.saleId)} />}
                  <RefundSale sale={sale} />
                </td>
                <td data-testid="sale-tickets">
                  <PrintTickets
                    sale={sale}
                    concert={concerts.get(sale.concertId)}
                    printed={printed.get(sale.saleId) ?? 0}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const saleTones: Record<SaleState, Tone> = {
  guaranteed: 'good',
  pending: 'waiting',
  confirmed: 'good',
  rejected: 'bad',
};

/** The four states told apart by word, symbol and colour: guaranteed is not yet confirmed, pending may be refused. */
export function SaleChip(props: { status: SaleState }) {
  return (
    <Chip
      tone={saleTones[props.status]}
      label={t(`sell.state.${props.status}`)}
      title={t(`sell.stateHint.${props.status}`)}
      large
    />
  );
}

/** Where making good a rejected sale stands, in words. */
export function settlementWords(sale: SaleView): string {
  const { settlement } = sale;
  if (settlement.status === 'none') return t('sell.settlement.none');
  const amount = money(settlement.amount, sale.currency);
  const what =
    settlement.kind === 'cash_refund'
      ? t('sell.settlement.refund', { amount })
      : t('sell.settlement.exchange', { amount });
  return `${what} ${t(`sell.settlement.${settlement.status}`)}${settlement.reason ? ` ${settlement.reason}` : ''}`;
}

/**
 * What the box office decided differently from what this desk assumed (issue 6, the conflict report at the desk):
 * its rejected sales, the seats of its blocks that lapsed unsold and its orders' holds that expired unpaid, with the
 * device's and the authority's times.
 */
export function DeskConflicts() {
  const { view, orders } = useDesk();
  const conflicts = deskConflicts(view, orders.orders);
  if (conflicts.length === 0) return null;
  const concerts = new Map(view.concerts.map((c) => [c.concertId, c]));
  const sales = new Map(view.sales.map((s) => [s.saleId, s]));
  return (
    <section className="panel" aria-labelledby="desk-conflicts-title">
      <h2 id="desk-conflicts-title">{t('deskConflicts.title')}</h2>
      <table aria-labelledby="desk-conflicts-title">
        <thead>
          <tr>
            <th scope="col">{t('deskConflicts.what')}</th>
            <th scope="col">{t('deskConflicts.concert')}</th>
            <th scope="col">{t('deskConflicts.seats')}</th>
            <th scope="col">{t('deskConflicts.deviceTime')}</th>
            <th scope="col">{t('deskConflicts.authorityTime')}</th>
            <th scope="col">{t('deskConflicts.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.slice(0, 20).map((conflict) => {
            const sale = sales.get(conflict.id);
            return (
              <tr
                key={`${conflict.kind}:${conflict.id}`}
                data-testid="desk-conflict"
                data-kind={conflict.kind}
              >
                <td>{t(`deskConflicts.kind.${conflict.kind}`)}</td>
                <td>{concerts.get(conflict.concertId)?.artist ?? conflict.concertId}</td>
                <td>
                  {conflict.quantity} × {conflict.level}
                </td>
                <td>{conflict.deviceTime ? clockTime(conflict.deviceTime) : '—'}</td>
                <td>{clockTime(conflict.authorityTime)}</td>
                <td>
                  {conflict.reason}
                  {sale && conflict.kind === 'rejected' && ` ${settlementWords(sale)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
