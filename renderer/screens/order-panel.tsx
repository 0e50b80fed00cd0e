// One order as it goes (placed, seats held, cash taken, paid, tickets, invoice, confirmation) with the cash form and
// the card payment while it waits for its money, and its refunds once it is ticketed; finding an order by its number;
// and today's orders of this desk.
import { useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { OrderStep, OrderView, PaymentView } from '../../domain/desk/order-view';
import { deskOrdersSince, findOrder, normalizeOrderNumber } from '../../domain/desk/order-view';
import { isSaleOrder } from '../../domain/order/order';
import { Chip } from '../components/chip';
import type { Tone } from '../components/chip';
import { clockTime, money } from '../components/format';
import { useDesk, useDeskStore } from '../components/use-desk';
import { t } from '../i18n';
import { priceTickets, projectOrderMoney } from '../../domain/payment/refund-view';
import type { RefundView } from '../../domain/payment/refund-view';
import {
  cardPaymentStatus,
  confirmAgain,
  confirmWithTestCard,
  refundTickets,
  startCardPayment,
  takeCash,
} from '../lib/cart-actions';
import type { CardIntentView, CardStatus } from '../lib/cart-actions';
import { parseAmount } from '../lib/money-input';

const tones: Record<OrderStep, Tone> = {
  placing: 'waiting',
  refused: 'bad',
  reserving: 'waiting',
  awaiting_payment: 'waiting',
  paying: 'waiting',
  paid: 'good',
  ticketed: 'good',
  invoiced: 'good',
  confirmation_requested: 'good',
  completed: 'good',
  cancelled: 'bad',
  expired: 'bad',
};

export function OrderStepChip(props: { step: OrderStep; large?: boolean }) {
  return <Chip tone={tones[props.step]} label={t(`orderStep.${props.step}`)} large={props.large} />;
}

/** The milestones of an order, in order, and how far a step has come. */
const milestones = ['placed', 'held', 'paid', 'ticketed', 'invoiced', 'confirmation'] as const;
const reached: Record<OrderStep, number> = {
  placing: 0,
  refused: 0,
  reserving: 1,
  awaiting_payment: 2,
  paying: 2,
  paid: 3,
  ticketed: 4,
  invoiced: 5,
  confirmation_requested: 6,
  completed: 6,
  cancelled: 0,
  expired: 0,
};

/** The steps at which an order's tickets may be refunded (it was paid and its tickets issued). */
const refundable: readonly OrderStep[] = ['ticketed', 'invoiced', 'confirmation_requested', 'completed'];

const totalText = (totals: { amount: number; currency: string }[]) =>
  totals.map((total) => money(total.amount, total.currency)).join(' + ');

export function OrderPanel(props: { orderId: string; onShow: (orderId: string) => void }) {
  const { orders } = useDesk();
  const [typed, setTyped] = useState('');
  const [notFound, setNotFound] = useState<string>();
  const order = props.orderId ? findOrder(orders, props.orderId) : undefined;

  const find = (event: FormEvent) => {
    event.preventDefault();
    const found = findOrder(orders, typed);
    if (!found) return setNotFound(normalizeOrderNumber(typed));
    setNotFound(undefined);
    setTyped('');
    props.onShow(found.orderId);
  };

  return (
    <section className="panel stack" aria-labelledby="order-title">
      <div className="row spread">
        <h2 id="order-title">{t('order.heading')}</h2>
        <form onSubmit={find} className="row" role="search" aria-label={t('order.lookup')}>
          <label className="field">
            <span>{t('order.number')}</span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="7KQ2-M9XD" />
          </label>
          <button type="submit">{t('order.find')}</button>
        </form>
      </div>
      {notFound !== undefined && (
        <p role="alert" className="error">
          {t('order.notFound', { number: notFound })}
        </p>
      )}
      {order ? (
        <OrderDetails key={order.orderId} order={order} onShow={props.onShow} />
      ) : (
        <p className="hint">{t('order.none')}</p>
      )}
    </section>
  );
}

function OrderDetails({ order, onShow }: { order: OrderView; onShow: (orderId: string) => void }) {
  const { view } = useDesk();
  const names = new Map(view.concerts.map((c) => [c.concertId, c.artist]));
  const step = reached[order.step];
  const over = order.step === 'cancelled' || order.step === 'expired' || order.step === 'refused';
  return (
    <div className="stack" data-testid="order" data-order={order.orderId} data-step={order.step}>
      <div className="row spread">
        <p className="order-number" data-testid="order-number">
          {order.orderId}
        </p>
        <span data-testid="order-step">
          <OrderStepChip step={order.step} large />
        </span>
      </div>
      {!over && (
        <ol className="milestones" aria-label={t('order.progress')}>
          {milestones.map((milestone, i) => (
            <li key={milestone} data-done={i < step} aria-current={i === step ? 'step' : undefined}>
              <span aria-hidden="true">{i < step ? '✓' : i === step ? '…' : '○'}</span>{' '}
              {t(`order.milestone.${milestone}`)}
              {milestone === 'ticketed' && order.tickets > 0 && ` (${order.tickets})`}
              {milestone === 'invoiced' && order.invoiceNumber && ` (${order.invoiceNumber})`}
            </li>
          ))}
        </ol>
      )}
      {order.message && (
        <p role="alert" className="error" data-testid="order-message">
          {order.message}
        </p>
      )}
      {order.heldUntil && (
        <p className="notice">{t('order.heldUntil', { time: clockTime(order.heldUntil) })}</p>
      )}
      <table aria-label={t('order.lines')}>
        <thead>
          <tr>
            <th scope="col">{t('sales.concert')}</th>
            <th scope="col">{t('sales.level')}</th>
            <th scope="col">{t('sales.quantity')}</th>
            <th scope="col">{t('cart.subtotal')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={`${line.concertId}\u0000${line.level}`}>
              <td>{names.get(line.concertId) ?? line.concertId}</td>
              <td>{line.level}</td>
              <td>{line.quantity}</td>
              <td>{money(line.quantity * line.unitPrice, line.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {t('sell.total')}: <strong data-testid="order-total">{totalText(order.totals)}</strong> ·{' '}
        {t(`delivery.summary.${order.delivery.kind}`, {
          email: order.delivery.kind === 'email' ? order.delivery.email : '',
          city: order.delivery.kind === 'courier' ? order.delivery.address.city : '',
        })}
      </p>
      {order.payments.map((payment) => (
        <Payment key={payment.paymentId} order={order} payment={payment} />
      ))}
      {order.step === 'invoiced' && !order.invoiceNumber && (
        <p className="hint">{t('order.invoicePending')}</p>
      )}
      {order.invoiceNumber && (
        <p data-testid="order-invoice">{t('order.invoice', { number: order.invoiceNumber })}</p>
      )}
      {order.confirmationTo && <p>{t('order.confirmationTo', { email: order.confirmationTo })}</p>}
      {refundable.includes(order.step) &&
        (isSaleOrder(order.orderId) ? (
          <p className="hint" data-testid="refund-at-sale">
            {t('refunds.atSale')}
          </p>
        ) : (
          <OrderRefunds order={order} />
        ))}
      {over && order.mine && <ConfirmAgain order={order} onShow={onShow} />}
    </div>
  );
}

function Payment({ order, payment }: { order: OrderView; payment: PaymentView }) {
  const store = useDeskStore();
  const [tendered, setTendered] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { amount, currency } = payment;
  const cash = tendered.trim() === '' ? amount : parseAmount(tendered);
  const change = cash !== undefined && cash >= amount ? cash - amount : undefined;
  const open =
    order.step === 'awaiting_payment' && (payment.status === 'due' || payment.status === 'refused');

  const take = async (event: FormEvent) => {
    event.preventDefault();
    if (cash === undefined) return setError(t('sell.badTendered'));
    if (cash < amount) return setError(t('sell.shortTendered', { short: money(amount - cash, currency) }));
    setBusy(true);
    try {
      await takeCash(store, { paymentId: payment.paymentId, orderId: order.orderId, amount, currency }, cash);
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  // A refund of some of the order's tickets gives back part of the payment: it is not the whole payment refunded.
  const partly = payment.status === 'refunded' && payment.refunded < amount;
  // Money to hand back is an order cancelled after it was paid; a ticket refund says its own in the refunds below.
  const handBack = payment.refunded > 0 && !refundable.includes(order.step);
  if (!open)
    return (
      <div data-testid="payment" data-status={payment.status}>
        <p>
          {partly
            ? t('payment.partlyRefunded', {
                amount: money(amount, currency),
                refunded: money(payment.refunded, currency),
              })
            : t(`payment.${payment.status}`, { amount: money(amount, currency) })}
          {payment.tendered !== null &&
            payment.change !== null &&
            ` ${t('order.cashTaken', {
              tendered: money(payment.tendered, currency),
              change: money(payment.change, currency),
            })}`}
        </p>
        {handBack && (
          <p role="alert" className="error">
            {t('order.refund', { amount: money(payment.refunded, currency) })}
          </p>
        )}
      </div>
    );
  return (
    <form
      onSubmit={(e) => void take(e)}
      noValidate
      className="stack confirm"
      aria-label={t('order.payment')}
      data-testid="payment"
      data-status={payment.status}
    >
      <p>{t('order.due', { amount: money(amount, currency) })}</p>
      {payment.message && <p className="error">{payment.message}</p>}
      <div className="row">
        <label className="field">
          <span>{t('sell.tendered')}</span>
          <input
            autoFocus
            inputMode="decimal"
            value={tendered}
            placeholder={money(amount, currency)}
            onChange={(e) => setTendered(e.target.value)}
            aria-describedby="payment-tendered-hint"
          />
          <small id="payment-tendered-hint" className="hint">
            {t('sell.tenderedHint')}
          </small>
        </label>
        <div className="field">
          <span>{t('sell.change')}</span>
          <strong data-testid="payment-change" className="figure">
            {change !== undefined ? money(change, currency) : '—'}
          </strong>
        </div>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="primary large" disabled={busy}>
        {t('order.takeCash', { amount: money(amount, currency) })}
      </button>
      <CardPayment order={order} payment={payment} />
    </form>
  );
}

/**
 * The card: online only, and only when the sync server is set up for Stripe (else it says why). The desk asks for the
 * order's PaymentIntent (the amount is the order's, the server's); the card is then taken at the terminal, and the
 * order moves on when the gateway's webhook confirms. Against a local test server the desk may confirm with the test
 * card; a real box office has its card reader there.
 */
function CardPayment({ order, payment }: { order: OrderView; payment: PaymentView }) {
  const store = useDeskStore();
  const { connection } = useDesk();
  const [status, setStatus] = useState<CardStatus>();
  const [intent, setIntent] = useState<CardIntentView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const online = connection.online;
  useEffect(() => {
    if (!online) return;
    let live = true;
    void cardPaymentStatus(store).then((answer) => live && setStatus(answer));
    return () => {
      live = false;
    };
  }, [store, online]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!online) body = <p className="hint">{t('card.offline')}</p>;
  else if (!status) body = <p className="hint">{t('card.checking')}</p>;
  else if (status.card === 'off')
    body = (
      <p className="hint" data-testid="card-off">
        {status.reason}
      </p>
    );
  else if (!intent)
    body = (
      <button
        type="button"
        className="secondary large"
        disabled={busy}
        onClick={() => void act(async () => setIntent(await startCardPayment(store, order.orderId)))}
      >
        {t('card.pay', { amount: money(payment.amount, payment.currency) })}
      </button>
    );
  else
    body = (
      <div className="stack">
        <p className="notice" data-testid="card-pending">
          {t('card.pending', { reference: intent.paymentIntentId })}
        </p>
        <p className="hint">{t('card.terminal')}</p>
        {status.testCard && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void act(() => confirmWithTestCard(store, intent.paymentIntentId))}
          >
            {t('card.testConfirm')}
          </button>
        )}
      </div>
    );
  return (
    <section className="stack" aria-label={t('card.heading')} data-testid="card-payment">
      {body}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

/** Refunding tickets of a paid order: some or all, in cash from the drawer or back to the card it was paid with. */
function OrderRefunds({ order }: { order: OrderView }) {
  const store = useDeskStore();
  const snapshot = useDesk();
  const { connection } = snapshot;
  const books = useMemo(
    () => projectOrderMoney(store.orderDocs(), order.orderId),
    // The orders view changes whenever the orders database does.
    [store, snapshot.orders, order.orderId],
  );
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const tickets = priceTickets(order.lines, books.tickets);
  const open = tickets.filter((ticket) => !books.refundedTickets.has(ticket.ticketId));
  const selected = open.filter((ticket) => chosen.has(ticket.ticketId));
  const [first] = selected;
  const amount = selected.reduce((sum, ticket) => sum + ticket.unitPrice, 0);
  const currency = first?.currency ?? order.totals[0]?.currency ?? 'PLN';
  const byCard = books.paidBy.some((p) => p.method === 'card');
  const toggle = (ticketId: string) =>
    setChosen((now) => {
      const next = new Set(now);
      if (next.has(ticketId)) next.delete(ticketId);
      else next.add(ticketId);
      return next;
    });
  const refund = async (method: 'cash' | 'card') => {
    setBusy(true);
    try {
      const done = await refundTickets(store, {
        orderId: order.orderId,
        ticketIds: selected.map((ticket) => ticket.ticketId),
        method,
        reason: reason.trim(),
        amount,
        currency,
      });
      setNotice(done.drawer ? t('refunds.noDrawer', { reason: done.drawer }) : undefined);
      setChosen(new Set());
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  if (tickets.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="refunds-title" data-testid="order-refunds">
      <h3 id="refunds-title">{t('refunds.heading')}</h3>
      {books.paidBy
        .filter((p) => p.method === 'card' && p.reference)
        .map((p) => (
          <p key={p.paymentId}>{t('card.paidBy', { reference: p.reference ?? '' })}</p>
        ))}
      {books.refunds.map((r) => (
        <RefundLine key={r.refundId} refund={r} />
      ))}
      {open.length > 0 && (
        <>
          <p className="hint">{t('refunds.hint')}</p>
          <label className="row">
            <input
              type="checkbox"
              checked={selected.length === open.length}
              onChange={() =>
                setChosen(selected.length === open.length ? new Set() : new Set(open.map((x) => x.ticketId)))
              }
            />
            {t('refunds.all')}
          </label>
          <ul className="stack" aria-label={t('refunds.heading')}>
            {tickets.map((ticket) => (
              <li key={ticket.ticketId} data-testid="refund-ticket" data-ticket={ticket.ticketId}>
                <label className="row">
                  <input
                    type="checkbox"
                    disabled={books.refundedTickets.has(ticket.ticketId)}
                    checked={chosen.has(ticket.ticketId) && !books.refundedTickets.has(ticket.ticketId)}
                    onChange={() => toggle(ticket.ticketId)}
                  />
                  <code>{ticket.ticketId}</code>{' '}
                  {t('refunds.ticket', {
                    level: ticket.level,
                    amount: money(ticket.unitPrice, ticket.currency),
                  })}
                  {books.refundedTickets.has(ticket.ticketId) && (
                    <Chip tone="neutral" label={t('refunds.refunded')} />
                  )}
                </label>
              </li>
            ))}
          </ul>
          <label className="field">
            <span>{t('refunds.reason')}</span>
            <input value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="row">
            <button
              type="button"
              disabled={busy || selected.length === 0}
              onClick={() => void refund('cash')}
            >
              {t('refunds.cash', { amount: money(amount, currency) })}
            </button>
            {byCard && (
              <button
                type="button"
                disabled={busy || selected.length === 0 || !connection.online}
                onClick={() => void refund('card')}
              >
                {t('refunds.card', { amount: money(amount, currency) })}
              </button>
            )}
          </div>
          {byCard && !connection.online && <p className="hint">{t('refunds.cardOffline')}</p>}
        </>
      )}
      {notice && <p className="notice">{notice}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

function RefundLine({ refund }: { refund: RefundView }) {
  const amount = refund.amount !== null && refund.currency ? money(refund.amount, refund.currency) : '';
  const text =
    refund.status === 'asked'
      ? t('refunds.asked', { tickets: refund.ticketIds.length })
      : refund.status === 'accepted'
        ? t('refunds.accepted', { amount })
        : refund.status === 'refunded'
          ? t('refunds.done', { amount, method: refund.method })
          : t('refunds.refused', { message: refund.message ?? '' });
  return (
    <p
      data-testid="refund"
      data-status={refund.status}
      className={refund.status === 'refused' ? 'error' : undefined}
    >
      {text}
      {refund.creditNote && ` · ${t('refunds.creditNote', { number: refund.creditNote })}`}
    </p>
  );
}

function ConfirmAgain({ order, onShow }: { order: OrderView; onShow: (orderId: string) => void }) {
  const store = useDeskStore();
  const { view } = useDesk();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const again = async () => {
    setBusy(true);
    try {
      const available = (line: { concertId: string; level: string }) =>
        view.concerts.find((c) => c.concertId === line.concertId)?.levels.find((l) => l.name === line.level)
          ?.believedLeft ?? 0;
      onShow(await confirmAgain(store, order.lines, order.delivery, available));
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <button type="button" className="primary" disabled={busy} onClick={() => void again()}>
        {t('order.confirmAgain')}
      </button>
      <p className="hint">{t('order.confirmAgainHint')}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

const startOfToday = () => {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
};

export function TodayOrders(props: { current: string; onShow: (orderId: string) => void }) {
  const { orders } = useDesk();
  const today = deskOrdersSince(orders, startOfToday());
  return (
    <section className="panel" aria-labelledby="today-title">
      <h2 id="today-title">{t('orders.title')}</h2>
      {today.length === 0 ? (
        <p className="hint">{t('orders.none')}</p>
      ) : (
        <table aria-labelledby="today-title">
          <thead>
            <tr>
              <th scope="col">{t('order.number')}</th>
              <th scope="col">{t('sales.time')}</th>
              <th scope="col">{t('orders.seats')}</th>
              <th scope="col">{t('sales.total')}</th>
              <th scope="col">{t('sales.status')}</th>
            </tr>
          </thead>
          <tbody>
            {today.map((order) => (
              <tr
                key={order.orderId}
                data-testid="today-order"
                data-step={order.step}
                aria-current={order.orderId === props.current ? 'true' : undefined}
              >
                <th scope="row">
                  <button type="button" className="quiet" onClick={() => props.onShow(order.orderId)}>
                    {order.orderId}
                  </button>
                </th>
                <td>{order.confirmedAt ? clockTime(order.confirmedAt) : '—'}</td>
                <td>{order.seats}</td>
                <td>{totalText(order.totals)}</td>
                <td>
                  <OrderStepChip step={order.step} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
