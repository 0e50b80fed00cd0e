// The box office's order flow at the desk, keyboard first: build a cart across concerts and levels (park it and open
// another for the next customer), choose how the tickets reach the customer, confirm it into an order, and follow
// the order step by step while taking the cash. Every change to a cart is a fact in the local log, so a cart
// survives a reload; what the authority decides arrives as the order's steps.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { CartState } from '../../domain/cart/cart';
import type { CartView } from '../../domain/desk/order-view';
import type { ConcertView } from '../../domain/desk/desk-view';
import { useDesk, useDeskStore } from '../components/use-desk';
import { money } from '../components/format';
import { LevelField } from '../components/level-field';
import { t } from '../i18n';
import { confirmCart, openCart, runCart } from '../lib/cart-actions';
import { ulid } from 'ulid';
import { DeliveryForm, deliveryFrom, draftOf } from './delivery-form';
import type { DeliveryDraft } from './delivery-form';
import { OrderPanel, TodayOrders } from './order-panel';
import type { DeskStore } from '../store/desk-store';

const currentCartKey = 'stagedoor.cart.current';
const currentOrderKey = 'stagedoor.order.current';

export const concertLabel = (concert: ConcertView) =>
  [concert.artist, concert.title, concert.city].filter(Boolean).join(' · ');

const failureText = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/** Remembered across reloads: which cart is being served and which order is shown. */
function useStored(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => localStorage.getItem(key) ?? '');
  const set = (next: string) => {
    localStorage.setItem(key, next);
    setValue(next);
  };
  return [value, set];
}

export function OrdersScreen() {
  const { orders } = useDesk();
  const [cartId, setCartId] = useStored(currentCartKey);
  const [orderId, setOrderId] = useStored(currentOrderKey);
  const cart = orders.carts.find((c) => c.cartId === cartId);

  return (
    <div className="orders-layout">
      <CartPanel
        cart={cart}
        carts={orders.carts}
        onSwitch={setCartId}
        onConfirmed={(id) => {
          setCartId('');
          setOrderId(id);
        }}
      />
      <div className="stack">
        <OrderPanel orderId={orderId} onShow={setOrderId} />
        <TodayOrders current={orderId} onShow={setOrderId} />
      </div>
    </div>
  );
}

function CartPanel(props: {
  cart: CartView | undefined;
  carts: CartView[];
  onSwitch: (cartId: string) => void;
  onConfirmed: (orderId: string) => void;
}) {
  const { cart, carts } = props;
  const store = useDeskStore();
  const { view } = useDesk();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // Every action is decided and recorded in turn: a key pressed while one runs waits for it (it is never dropped),
  // and the next starts once the screen shows what the last one recorded. Each decides on the cart as the store holds
  // it when it runs (`latest`), so two quick changes never decide on the same cart twice (a quantity typed back to
  // what it was is a change).
  const queue = useRef<Promise<void>>(Promise.resolve());
  const act = (action: () => Promise<void>): Promise<void> => {
    const run = queue.current.then(async () => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
        await store.shown();
      } catch (failure) {
        setError(failureText(failure));
      } finally {
        setBusy(false);
      }
    });
    queue.current = run;
    return run;
  };

  /** The open cart to change, opened first when there is none. */
  const ensureCart = async (): Promise<{ cartId: string; state: CartState }> => {
    if (cart) return { cartId: cart.cartId, state: latest(store, cart).state };
    const opened = await openCart(store);
    props.onSwitch(opened.cartId);
    return opened;
  };

  const newCart = () =>
    act(async () => {
      const opened = await openCart(store);
      props.onSwitch(opened.cartId);
    });

  return (
    <section
      className="panel stack"
      aria-labelledby="cart-title"
      onKeyDown={(e) => {
        if (e.altKey && e.key.toLowerCase() === 'n') {
          e.preventDefault();
          void newCart();
        }
      }}
    >
      <div className="row spread">
        <h2 id="cart-title">{t('cart.title')}</h2>
        <button type="button" onClick={() => void newCart()} aria-keyshortcuts="Alt+N">
          {t('cart.new')}
        </button>
      </div>
      <CartTabs carts={carts} current={cart?.cartId} onSwitch={props.onSwitch} />
      <AddLine
        concerts={view.concerts}
        busy={busy}
        onAdd={(line) =>
          act(async () => {
            const { cartId, state } = await ensureCart();
            await runCart(store, state, {
              type: 'AddCartItem',
              data: { cartId, addId: ulid(), ...line },
            });
          })
        }
      />
      {cart ? (
        <CartLines cart={cart} concerts={view.concerts} busy={busy} act={act} />
      ) : (
        <p className="hint">{t('cart.none')}</p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="cart-error">
          {error}
        </p>
      )}
      {cart && cart.lines.length > 0 && (
        <Checkout
          key={cart.cartId}
          cart={cart}
          busy={busy}
          onConfirm={(delivery) =>
            act(async () => {
              const orderId = await confirmCart(store, latest(store, cart).state, delivery);
              props.onConfirmed(orderId);
            })
          }
          onClear={() =>
            act(async () => {
              await runCart(store, latest(store, cart).state, {
                type: 'ClearCart',
                data: { cartId: cart.cartId },
              });
              props.onSwitch('');
            })
          }
        />
      )}
    </section>
  );
}

function CartTabs(props: {
  carts: CartView[];
  current: string | undefined;
  onSwitch: (cartId: string) => void;
}) {
  if (props.carts.length === 0) return null;
  return (
    <nav aria-label={t('cart.tabs')} className="row cart-tabs">
      {props.carts.map((cart, i) => {
        const seats = cart.lines.reduce((sum, l) => sum + l.quantity, 0);
        const current = cart.cartId === props.current;
        return (
          <button
            key={cart.cartId}
            type="button"
            className={current ? 'primary' : 'quiet'}
            aria-pressed={current}
            onClick={() => props.onSwitch(cart.cartId)}
          >
            {t('cart.tab', { n: i + 1, count: seats })}
          </button>
        );
      })}
    </nav>
  );
}

type NewLine = {
  concertId: string;
  level: string;
  quantity: number;
  unitPrice: number;
  currency: string;
  available: number;
};

function AddLine(props: { concerts: ConcertView[]; busy: boolean; onAdd: (line: NewLine) => Promise<void> }) {
  const onSale = props.concerts.filter((c) => c.status === 'published');
  const [concertId, setConcertId] = useState('');
  const [levelName, setLevelName] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [error, setError] = useState<string>();
  const quantityInput = useRef<HTMLInputElement>(null);
  const concert = onSale.find((c) => c.concertId === concertId);
  const level = concert?.levels.find((l) => l.name === levelName) ?? concert?.levels[0];

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!concert || !level) return setError(t('sell.chooseConcert'));
    const count = /^\s*\d+\s*$/.test(quantity) ? Number(quantity) : NaN;
    if (!(count >= 1 && count <= 1000)) return setError(t('sell.badQuantity'));
    setError(undefined);
    await props.onAdd({
      concertId: concert.concertId,
      level: level.name,
      quantity: count,
      unitPrice: level.price,
      currency: concert.currency,
      available: level.believedLeft,
    });
    setQuantity('1');
    quantityInput.current?.focus();
    quantityInput.current?.select();
  };

  return (
    <form onSubmit={(e) => void add(e)} noValidate className="stack" aria-label={t('cart.addTitle')}>
      <div className="add-line">
        <div className="field">
          <label htmlFor="cart-concert">{t('sell.concert')}</label>
          <select
            id="cart-concert"
            value={concert ? concert.concertId : ''}
            onChange={(e) => {
              setConcertId(e.target.value);
              setLevelName('');
            }}
          >
            <option value="" disabled>
              {t('sell.chooseConcert')}
            </option>
            {onSale.map((c) => (
              <option key={c.concertId} value={c.concertId}>
                {concertLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <LevelField id="cart-level" concert={concert} value={level?.name ?? ''} onChange={setLevelName} />
        <label className="field">
          <span>{t('sell.quantity')}</span>
          <input
            ref={quantityInput}
            inputMode="numeric"
            value={quantity}
            onChange={(e) => setQuantity(e.target.value)}
            onFocus={(e) => e.target.select()}
          />
        </label>
        <button type="submit" className="primary" disabled={!concert}>
          {t('cart.add')}
        </button>
      </div>
      {onSale.length === 0 && <p className="hint">{t('sell.noConcerts')}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="hint">{t('cart.keys')}</p>
    </form>
  );
}

function CartLines(props: {
  cart: CartView;
  concerts: ConcertView[];
  busy: boolean;
  act: (action: () => Promise<void>) => Promise<void>;
}) {
  const store = useDeskStore();
  const { cart } = props;
  const names = new Map(props.concerts.map((c) => [c.concertId, c.artist]));
  if (cart.lines.length === 0) return <p className="hint">{t('cart.empty')}</p>;
  return (
    <>
      <table aria-label={t('cart.lines')}>
        <thead>
          <tr>
            <th scope="col">{t('sales.concert')}</th>
            <th scope="col">{t('sales.level')}</th>
            <th scope="col">{t('sales.quantity')}</th>
            <th scope="col">{t('cart.subtotal')}</th>
            <th scope="col">{t('cart.available')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('concerts.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((line) => {
            const key = { cartId: cart.cartId, concertId: line.concertId, level: line.level };
            const over = line.available !== null && line.quantity > line.available;
            return (
              <tr key={`${line.concertId}\u0000${line.level}`} data-testid="cart-line">
                <td>{names.get(line.concertId) ?? line.concertId}</td>
                <th scope="row">{line.level}</th>
                <td>
                  <QuantityInput
                    label={t('cart.quantityOf', { level: line.level })}
                    quantity={line.quantity}
                    disabled={props.busy}
                    onChange={(quantity) =>
                      props.act(async () => {
                        await runCart(store, latest(store, cart).state, {
                          type: 'ChangeCartItemQuantity',
                          data: { ...key, quantity, available: line.available ?? quantity },
                        });
                      })
                    }
                  />
                </td>
                <td data-testid="cart-subtotal">{money(line.subtotal, line.currency)}</td>
                <td className={over ? 'error' : undefined}>
                  {line.available === null ? '—' : line.available}
                </td>
                <td>
                  <button
                    type="button"
                    className="quiet danger"
                    disabled={props.busy}
                    aria-label={t('cart.remove', { level: line.level })}
                    onClick={() =>
                      void props.act(async () => {
                        await runCart(store, latest(store, cart).state, {
                          type: 'RemoveCartItem',
                          data: key,
                        });
                      })
                    }
                  >
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="cart-total">
        {t('sell.total')}:{' '}
        {cart.totals.map((total) => (
          <strong key={total.currency} data-testid="cart-total">
            {money(total.amount, total.currency)}
          </strong>
        ))}
      </p>
    </>
  );
}

/** The cart as the store holds it now (an action queued behind another runs after the render it was made in). */
const latest = (store: DeskStore, cart: CartView): CartView =>
  store.getSnapshot().orders.carts.find((c) => c.cartId === cart.cartId) ?? cart;

/** A quantity typed in place: applied on Enter or when the field is left. */
function QuantityInput(props: {
  label: string;
  quantity: number;
  disabled: boolean;
  onChange: (quantity: number) => Promise<void>;
}) {
  const [text, setText] = useState(String(props.quantity));
  useEffect(() => setText(String(props.quantity)), [props.quantity]);
  const apply = () => {
    const count = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (count === props.quantity) return;
    if (!(count >= 1 && count <= 1000)) return setText(String(props.quantity));
    void props.onChange(count);
  };
  return (
    <input
      className="quantity"
      aria-label={props.label}
      inputMode="numeric"
      value={text}
      disabled={props.disabled}
      onChange={(e) => setText(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          apply();
        }
      }}
    />
  );
}

function Checkout(props: {
  cart: CartView;
  busy: boolean;
  onConfirm: (delivery: NonNullable<CartView['delivery']>) => Promise<void>;
  onClear: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<DeliveryDraft>(() => draftOf(props.cart.delivery));
  const [problem, setProblem] = useState<string>();
  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    const checked = deliveryFrom(draft);
    if (!checked.ok) return setProblem(checked.message);
    setProblem(undefined);
    await props.onConfirm(checked.method);
  };
  return (
    <form onSubmit={(e) => void confirm(e)} noValidate className="stack" aria-label={t('cart.checkout')}>
      <DeliveryForm draft={draft} problem={problem} onChange={setDraft} />
      <div className="row">
        <button type="submit" className="primary large" disabled={props.busy}>
          {t('cart.confirm')}
        </button>
        <button type="button" className="danger" disabled={props.busy} onClick={() => void props.onClear()}>
          {t('cart.clear')}
        </button>
      </div>
    </form>
  );
}
