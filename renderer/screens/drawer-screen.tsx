// The desk's cash drawer: open a shift with its float, pay cash in or out with a reason, close with the count and see
// what the drawer should have held, what was counted and the difference; the last closed shift's report (Z-report).
// Sales, order payments and refunds taken at this desk go into the open shift on their own.
import { useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { DrawerView, OpenShiftView } from '../../domain/desk/drawer-view';
import type { ShiftClosed } from '../../domain/finance/cash-drawer';
import { clockTime, money } from '../components/format';
import { useDesk, useDeskStore } from '../components/use-desk';
import { t } from '../i18n';
import { closeShift, drawerOf, moveCash, openShift } from '../lib/drawer-actions';
import { parseAmount } from '../lib/money-input';

/** What to tell the seller when cash taken or handed back went into no drawer count; undefined when it did. */
export function drawerNote(outside: string | null): string | undefined {
  if (outside === null) return undefined;
  return outside === 'no_shift' ? t('drawer.noShift') : t('drawer.outside', { reason: outside });
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

export function DrawerScreen() {
  const store = useDeskStore();
  const { orders, view } = useDesk();
  // The drawer's facts are in the orders database: read again when the orders change.
  const drawer: DrawerView = useMemo(() => drawerOf(store), [store, orders]);
  const currency = view.concerts[0]?.currency ?? 'PLN';
  return (
    <div className="stack">
      <section aria-labelledby="drawer-title" className="panel" data-testid="drawer">
        <h2 id="drawer-title">{t('drawer.title')}</h2>
        {drawer.open ? <OpenShift shift={drawer.open} /> : <OpenForm currency={currency} />}
      </section>
      <section aria-labelledby="drawer-report-title" className="panel" data-testid="drawer-report">
        <h2 id="drawer-report-title">{t('drawer.report')}</h2>
        {drawer.closed[0] ? <Report shift={drawer.closed[0]} /> : <p>{t('drawer.noReport')}</p>}
      </section>
    </div>
  );
}

function ErrorLine({ error }: { error: string | undefined }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}

function OpenForm({ currency: suggested }: { currency: string }) {
  const store = useDeskStore();
  const [float, setFloat] = useState('');
  const [currency, setCurrency] = useState(suggested);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseAmount(float);
    if (amount === undefined) return setError(t('drawer.badFloat'));
    if (!/^[A-Z]{3}$/.test(currency)) return setError(t('drawer.badCurrency'));
    setBusy(true);
    try {
      await openShift(store, amount, currency);
      setError(undefined);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" noValidate onSubmit={(e) => void submit(e)} aria-label={t('drawer.open')}>
      <p>{t('drawer.none')}</p>
      <div className="row">
        <label className="field">
          <span>{t('drawer.float')}</span>
          <input
            autoFocus
            inputMode="decimal"
            value={float}
            onChange={(e) => setFloat(e.target.value)}
            aria-invalid={error === t('drawer.badFloat') || undefined}
          />
        </label>
        <label className="field">
          <span>{t('drawer.currency')}</span>
          <input
            value={currency}
            maxLength={3}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            aria-invalid={error === t('drawer.badCurrency') || undefined}
          />
        </label>
      </div>
      <ErrorLine error={error} />
      <button type="submit" className="primary large" disabled={busy}>
        {t('drawer.open')}
      </button>
    </form>
  );
}

/** A shift's sums, one row each, down to what the drawer should hold (and, closed, what was counted). */
function Totals(props: {
  shift: Omit<OpenShiftView, 'movements' | 'shiftId' | 'openedAt'>;
  label: string;
  children?: ReactNode;
}) {
  const { shift, label, children } = props;
  const signed = (minor: number, sign: 1 | -1) => money(minor === 0 ? 0 : sign * minor, shift.currency);
  const rows: [string, string][] = [
    [t('drawer.float'), signed(shift.float, 1)],
    [t('drawer.sales'), signed(shift.cashSales, 1)],
    [t('drawer.refunds'), signed(shift.cashRefunds, -1)],
    [t('drawer.paidIn'), signed(shift.paidIn, 1)],
    [t('drawer.paidOut'), signed(shift.paidOut, -1)],
  ];
  return (
    <table aria-label={label} className="drawer-totals">
      <tbody>
        {rows.map(([name, amount]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{amount}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('drawer.expected')}</th>
          <td data-testid="drawer-expected">
            <strong>{money(shift.expected, shift.currency)}</strong>
          </td>
        </tr>
        {children}
      </tbody>
    </table>
  );
}

function OpenShift({ shift }: { shift: OpenShiftView }) {
  return (
    <div className="stack" data-testid="drawer-open">
      <p>{t('drawer.openSince', { time: clockTime(shift.openedAt), user: shift.userId })}</p>
      <Totals shift={shift} label={t('drawer.title')} />
      <h3>{t('drawer.movements')}</h3>
      {shift.movements.length === 0 ? (
        <p>{t('drawer.noMovements')}</p>
      ) : (
        <table data-testid="drawer-movements">
          <thead>
            <tr>
              <th scope="col">{t('drawer.time')}</th>
              <th scope="col">{t('drawer.what')}</th>
              <th scope="col">{t('drawer.amount')}</th>
              <th scope="col">{t('drawer.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {shift.movements.map((m) => (
              <tr key={m.id}>
                <td>{clockTime(m.at)}</td>
                <td>{t(`drawer.kind.${m.kind}`)}</td>
                <td>
                  {money(m.kind === 'refund' || m.kind === 'out' ? -m.amount : m.amount, shift.currency)}
                </td>
                <td>{m.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MoveForm currency={shift.currency} />
      <CloseForm />
    </div>
  );
}

function MoveForm({ currency }: { currency: string }) {
  const store = useDeskStore();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const move = async (direction: 'in' | 'out') => {
    setNotice(undefined);
    const minor = parseAmount(amount);
    if (minor === undefined || minor <= 0) return setError(t('drawer.badAmount'));
    if (reason.trim() === '') return setError(t('drawer.missingReason'));
    setBusy(true);
    try {
      await moveCash(store, direction, minor, reason.trim());
      setError(undefined);
      setNotice(t('drawer.moved', { what: t(`drawer.kind.${direction}`), amount: money(minor, currency) }));
      setAmount('');
      setReason('');
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="stack"
      noValidate
      aria-label={t('drawer.move')}
      onSubmit={(e) => {
        e.preventDefault();
        void move('in');
      }}
    >
      <h3>{t('drawer.move')}</h3>
      <div className="row">
        <label className="field">
          <span>{t('drawer.amount')}</span>
          <input autoFocus inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('drawer.reason')}</span>
          <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
      </div>
      <ErrorLine error={error} />
      {notice && <p role="status">{notice}</p>}
      <div className="row">
        <button type="submit" disabled={busy}>
          {t('drawer.payIn')}
        </button>
        <button type="button" disabled={busy} onClick={() => void move('out')}>
          {t('drawer.payOut')}
        </button>
      </div>
    </form>
  );
}

function CloseForm() {
  const store = useDeskStore();
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const amount = parseAmount(counted);
    if (amount === undefined) return setError(t('drawer.badCounted'));
    setBusy(true);
    try {
      await closeShift(store, amount);
      setError(undefined);
    } catch (failure) {
      setError(message(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="stack" noValidate onSubmit={(e) => void submit(e)} aria-label={t('drawer.close')}>
      <h3>{t('drawer.close')}</h3>
      <label className="field">
        <span>{t('drawer.counted')}</span>
        <input inputMode="decimal" value={counted} onChange={(e) => setCounted(e.target.value)} />
      </label>
      <p className="hint">{t('drawer.countedHint')}</p>
      <ErrorLine error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('drawer.close')}
      </button>
    </form>
  );
}

function Report({ shift }: { shift: ShiftClosed }) {
  const state =
    shift.variance < 0 ? t('drawer.short') : shift.variance > 0 ? t('drawer.over') : t('drawer.exact');
  return (
    <div className="stack">
      <p>{t('drawer.closedAt', { time: clockTime(shift.closedAt), user: shift.userId })}</p>
      <Totals shift={shift} label={t('drawer.report')}>
        <tr>
          <th scope="row">{t('drawer.counted')}</th>
          <td data-testid="report-counted">{money(shift.counted, shift.currency)}</td>
        </tr>
        <tr>
          <th scope="row">{t('drawer.variance')}</th>
          <td data-testid="report-variance">
            <strong>{money(shift.variance, shift.currency)}</strong> ({state})
          </td>
        </tr>
      </Totals>
    </div>
  );
}
