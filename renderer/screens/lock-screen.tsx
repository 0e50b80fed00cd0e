// The idle lock: the device stays with the person who was at it; their PIN unlocks it, or they sign out. Wrong PINs
// count towards the same lockout as the offline sign-in.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Device } from '../device';
import { t } from '../i18n';
import { lockedUntil, pinFailed, pinSucceeded } from '../session/lockout';
import { checkPin } from '../session/pin';
import { signOut, unlockSession } from '../session/session';
import type { Person } from '../session/session';

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function LockScreen(props: { device: Device; person: Person }) {
  const { device, person } = props;
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const until = lockedUntil(person.name);
    if (until) return setError(t('signIn.locked', { until: clock(until) }));
    const ok = await checkPin(person.userId, pin);
    setPin('');
    if (!ok) {
      const locked = pinFailed(person.name);
      return setError(locked ? t('signIn.locked', { until: clock(locked) }) : t('signIn.wrongPin'));
    }
    pinSucceeded(person.name);
    unlockSession();
  };

  return (
    <main className="setup">
      <h1>{t('lock.title')}</h1>
      <p>{t('lock.intro', { name: person.name })}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <label className="field">
          <span>{t('signIn.pin')}</span>
          <input
            autoFocus
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary">
            {t('lock.unlock')}
          </button>
          <button type="button" onClick={() => signOut(device)}>
            {t('session.signOut')}
          </button>
        </div>
      </form>
    </main>
  );
}
