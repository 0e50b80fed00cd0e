// First start: where the sync server is, and the one-time enrolment code an admin made for this device (Devices
// screen). The server gives the device its id, role, name and credentials. Without a code, an admin can enrol the
// device here with their name and password (the first device: the first admin's password is where the README says).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { deviceRoles } from '../../domain/users/devices';
import type { DeviceRole } from '../../domain/users/devices';
import { enrolAsAdmin, enrolDevice } from '../device';
import type { Device, EnrolErrors } from '../device';
import { t } from '../i18n';

export function SetupScreen(props: { onDone: (device: Device) => void }) {
  const [server, setServer] = useState(location.origin);
  const [code, setCode] = useState('');
  const [asAdmin, setAsAdmin] = useState(false);
  const [admin, setAdmin] = useState({ name: 'admin', password: '', role: 'desk' as DeviceRole, device: '' });
  const [errors, setErrors] = useState<EnrolErrors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const result = asAdmin
        ? await enrolAsAdmin({
            server,
            admin: admin.name,
            password: admin.password,
            role: admin.role,
            name: admin.device,
          })
        : await enrolDevice({ server, code });
      if (result.ok) props.onDone(result.device);
      else setErrors(result.errors);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="setup">
      <h1>{t('enrol.title')}</h1>
      <p>{t('enrol.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <label className="field">
          <span>{t('setup.server')}</span>
          <input
            type="url"
            value={server}
            onChange={(e) => setServer(e.target.value)}
            aria-invalid={errors.server ? true : undefined}
            aria-describedby="setup-server-hint"
          />
          <small id="setup-server-hint" className={errors.server ? 'error' : 'hint'}>
            {errors.server ?? t('setup.serverHint')}
          </small>
        </label>
        {asAdmin ? (
          <fieldset className="stack">
            <legend>{t('enrol.adminLegend')}</legend>
            <label className="field">
              <span>{t('enrol.adminName')}</span>
              <input value={admin.name} onChange={(e) => setAdmin({ ...admin, name: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('enrol.adminPassword')}</span>
              <input
                type="password"
                autoComplete="current-password"
                value={admin.password}
                onChange={(e) => setAdmin({ ...admin, password: e.target.value })}
              />
              <small className="hint">{t('enrol.adminPasswordHint')}</small>
            </label>
            <label className="field">
              <span>{t('enrol.deviceName')}</span>
              <input value={admin.device} onChange={(e) => setAdmin({ ...admin, device: e.target.value })} />
            </label>
            <label className="field">
              <span>{t('enrol.deviceRole')}</span>
              <select
                value={admin.role}
                onChange={(e) => setAdmin({ ...admin, role: e.target.value as DeviceRole })}
              >
                {deviceRoles.map((role) => (
                  <option key={role} value={role}>
                    {t(`deviceRole.${role}`)}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        ) : (
          <label className="field">
            <span>{t('enrol.code')}</span>
            <input
              autoFocus
              autoComplete="off"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              aria-invalid={errors.code ? true : undefined}
              aria-describedby="setup-code-hint"
            />
            <small id="setup-code-hint" className={errors.code ? 'error' : 'hint'}>
              {errors.code ?? t('enrol.codeHint')}
            </small>
          </label>
        )}
        {errors.form && (
          <p role="alert" className="error">
            {errors.form}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('enrol.submit')}
          </button>
          <button type="button" onClick={() => (setAsAdmin(!asAdmin), setErrors({}))}>
            {t(asAdmin ? 'enrol.withCode' : 'enrol.asAdmin')}
          </button>
        </div>
      </form>
    </main>
  );
}
