// Who is at this device. Online: name and password (the sync server checks them), then the person sets a PIN the
// first time or confirms it, and the device caches its verifier for offline use. Offline: name and PIN, against that
// verifier and the device's roster (a deactivated person is refused once the device has synced), with a lockout.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { peopleOnDevice } from '../../domain/users/devices';
import type { Role } from '../../domain/events/catalogue';
import type { Device } from '../device';
import { t } from '../i18n';
import { lockedUntil, pinFailed, pinSucceeded } from '../session/lockout';
import { checkPin, hasPin, pinPattern, setPin } from '../session/pin';
import { refreshRoster, rosterPerson } from '../session/roster';
import { startSession } from '../session/session';
import type { Person } from '../session/session';

type Mode = 'password' | 'pin';
const allowedOn = (device: Device, role: Role) =>
  (peopleOnDevice[device.role] as readonly Role[]).includes(role);
const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function SignInScreen(props: { device: Device; onRevoked: () => void }) {
  const { device, onRevoked } = props;
  const [mode, setMode] = useState<Mode>(() => (navigator.onLine ? 'password' : 'pin'));
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** After the password: the person, waiting for their PIN. */
  const [pending, setPending] = useState<Person>();

  useEffect(() => {
    void refreshRoster(device).then((contact) => contact === 'revoked' && onRevoked());
  }, [device, onRevoked]);

  const passwordSignIn = async () => {
    let response: Response;
    try {
      response = await fetch(`${device.server}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: secret }),
      });
    } catch {
      setMode('pin');
      return setError(t('signIn.unreachable'));
    }
    const body = (await response.json()) as Partial<Person> & { token?: string; reason?: string };
    if (!response.ok || !body.userId || !body.role || !body.name || !body.token)
      return setError(body.reason ?? t('signIn.wrong'));
    if (!allowedOn(device, body.role)) {
      void fetch(`${device.server}/api/sessions`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${body.token}` },
      });
      return setError(t('signIn.wrongDevice', { role: body.role, device: device.role }));
    }
    void refreshRoster(device);
    setSecret('');
    setPending({ userId: body.userId, name: body.name, role: body.role, token: body.token });
  };

  const pinSignIn = async () => {
    const until = lockedUntil(name);
    if (until) return setError(t('signIn.locked', { until: clock(until) }));
    const person = rosterPerson(name);
    if (person && person.status !== 'active') return setError(t('signIn.deactivated'));
    if (person && !allowedOn(device, person.role))
      return setError(t('signIn.wrongDevice', { role: person.role, device: device.role }));
    const ok = person ? await checkPin(person.userId, secret) : false;
    setSecret('');
    if (!person || !ok) {
      const locked = pinFailed(name);
      return setError(locked ? t('signIn.locked', { until: clock(locked) }) : t('signIn.wrongPin'));
    }
    pinSucceeded(name);
    startSession({ userId: person.userId, name: person.name, role: person.role });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!name.trim() || !secret) return setError(t('signIn.missing'));
    setBusy(true);
    try {
      await (mode === 'password' ? passwordSignIn() : pinSignIn());
    } finally {
      setBusy(false);
    }
  };

  if (pending) return <PinStep person={pending} onCancel={() => setPending(undefined)} />;
  return (
    <main className="setup">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro', { device: device.name, role: device.role })}</p>
      <div role="radiogroup" aria-label={t('signIn.how')} className="row">
        {(['password', 'pin'] as const).map((m) => (
          <label key={m}>
            <input
              type="radio"
              name="how"
              checked={mode === m}
              onChange={() => (setMode(m), setError(undefined))}
            />{' '}
            {t(m === 'password' ? 'signIn.withPassword' : 'signIn.withPin')}
          </label>
        ))}
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <label className="field">
          <span>{t('signIn.name')}</span>
          <input autoFocus autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t(mode === 'password' ? 'signIn.password' : 'signIn.pin')}</span>
          <input
            type="password"
            autoComplete={mode === 'password' ? 'current-password' : 'off'}
            inputMode={mode === 'pin' ? 'numeric' : undefined}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}

/** After an online sign-in: a new PIN (twice), or the cached one to confirm it; a forgotten PIN is replaced. */
function PinStep(props: { person: Person; onCancel: () => void }) {
  const { person } = props;
  const [choosing, setChoosing] = useState(() => !hasPin(person.userId));
  const [pin, setPinText] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!pinPattern.test(pin)) return setError(t('pin.badPin'));
    setBusy(true);
    try {
      if (choosing) {
        if (pin !== again) return setError(t('pin.mismatch'));
        await setPin(person.userId, pin);
      } else if (!(await checkPin(person.userId, pin))) {
        setPinText('');
        return setError(t('pin.wrong'));
      }
      pinSucceeded(person.name);
      startSession(person);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="setup">
      <h1>{t(choosing ? 'pin.chooseTitle' : 'pin.confirmTitle', { name: person.name })}</h1>
      <p>{t(choosing ? 'pin.chooseIntro' : 'pin.confirmIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <label className="field">
          <span>{t(choosing ? 'pin.new' : 'signIn.pin')}</span>
          <input
            autoFocus
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPinText(e.target.value)}
          />
        </label>
        {choosing && (
          <label className="field">
            <span>{t('pin.again')}</span>
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={again}
              onChange={(e) => setAgain(e.target.value)}
            />
          </label>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('pin.continue')}
          </button>
          {!choosing && (
            <button type="button" onClick={() => (setChoosing(true), setPinText(''), setError(undefined))}>
              {t('pin.chooseNew')}
            </button>
          )}
          <button type="button" onClick={props.onCancel}>
            {t('pin.cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
