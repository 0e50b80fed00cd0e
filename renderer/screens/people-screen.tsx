// The admin's People screen: everyone who works here, with their one role; create a person with a first password,
// change a role, deactivate or reactivate, reset a password. Through the sync server's API with the admin's session:
// online only, and only after a password sign-in (a PIN sign-in carries no session).
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Role } from '../../domain/events/catalogue';
import { roles } from '../../domain/users/events';
import { useDeskStore } from '../components/use-desk';
import { t } from '../i18n';
import { callApi } from '../session/api';
import { useSession } from '../session/session';

type PersonRow = { userId: string; name: string; role: Role; status: 'active' | 'deactivated' };

export function PeopleScreen() {
  const { device } = useDeskStore();
  const { person } = useSession();
  const [people, setPeople] = useState<PersonRow[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [draft, setDraft] = useState({ name: '', role: 'desk' as Role, password: '' });
  const [resetting, setResetting] = useState<{ userId: string; password: string }>();

  const load = useCallback(async () => {
    if (!person) return;
    const result = await callApi<PersonRow[]>(device, person, 'GET', '/api/users');
    if (result.ok) setPeople(result.body);
    else setMessage({ ok: false, text: result.reason });
  }, [device, person]);
  useEffect(() => void load(), [load]);
  if (!person) return null;

  const act = async (path: string, method: 'POST' | 'PUT', body: unknown, done: string) => {
    const result = await callApi(device, person, method, path, body);
    setMessage(result.ok ? { ok: true, text: done } : { ok: false, text: result.reason });
    if (result.ok) await load();
    return result.ok;
  };
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await act('/api/users', 'POST', draft, t('people.created', { name: draft.name }));
    if (ok) setDraft({ ...draft, name: '', password: '' });
  };

  return (
    <section className="stack">
      <h2>{t('people.title')}</h2>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'hint' : 'error'}>
          {message.text}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('people.name')}</th>
            <th scope="col">{t('people.role')}</th>
            <th scope="col">{t('people.status')}</th>
            <th scope="col">{t('people.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((row) => (
            <tr key={row.userId} data-testid="person" data-name={row.name}>
              <td>{row.name}</td>
              <td>
                <select
                  aria-label={t('people.roleOf', { name: row.name })}
                  value={row.role}
                  onChange={(e) =>
                    void act(
                      `/api/users/${row.userId}/role`,
                      'PUT',
                      { role: e.target.value },
                      t('people.roleChanged', { name: row.name, role: e.target.value }),
                    )
                  }
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </td>
              <td>{t(row.status === 'active' ? 'people.active' : 'people.deactivated')}</td>
              <td className="row">
                {row.status === 'active' ? (
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        `/api/users/${row.userId}/deactivate`,
                        'POST',
                        { reason: '' },
                        t('people.wasDeactivated', { name: row.name }),
                      )
                    }
                  >
                    {t('people.deactivate')}
                  </button>
                ) : (
                  <button
                    type="button"
                    onClick={() =>
                      void act(
                        `/api/users/${row.userId}/reactivate`,
                        'POST',
                        {},
                        t('people.wasReactivated', { name: row.name }),
                      )
                    }
                  >
                    {t('people.reactivate')}
                  </button>
                )}
                {resetting?.userId === row.userId ? (
                  <form
                    className="row"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void act(
                        `/api/users/${row.userId}/password`,
                        'PUT',
                        { password: resetting.password },
                        t('people.passwordReset', { name: row.name }),
                      ).then((ok) => ok && setResetting(undefined));
                    }}
                  >
                    <label className="field">
                      <span>{t('people.newPassword')}</span>
                      <input
                        autoFocus
                        type="password"
                        autoComplete="new-password"
                        value={resetting.password}
                        onChange={(e) => setResetting({ ...resetting, password: e.target.value })}
                      />
                    </label>
                    <button type="submit">{t('people.savePassword')}</button>
                  </form>
                ) : (
                  <button type="button" onClick={() => setResetting({ userId: row.userId, password: '' })}>
                    {t('people.resetPassword')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={(e) => void create(e)} className="stack" aria-label={t('people.create')}>
        <h3>{t('people.create')}</h3>
        <label className="field">
          <span>{t('people.name')}</span>
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('people.role')}</span>
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('people.firstPassword')}</span>
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
          />
          <small className="hint">{t('people.passwordHint')}</small>
        </label>
        <button type="submit" className="primary">
          {t('people.createButton')}
        </button>
      </form>
    </section>
  );
}
