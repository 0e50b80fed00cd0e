// The admin's Devices screen: make a one-time enrolment code for a device's role and name (typed on the new device's
// set-up screen), see every enrolled device, revoke one (its credentials stop working at once; what it wrote
// offline and sends later is quarantined). Online only, with the admin's session.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { deviceRoles } from '../../domain/users/devices';
import type { DeviceRole } from '../../domain/users/devices';
import { useDeskStore } from '../components/use-desk';
import { t } from '../i18n';
import { callApi } from '../session/api';
import { useSession } from '../session/session';

type DeviceRow = {
  deviceId: string;
  role: DeviceRole;
  name: string;
  enrolledAt: string;
  revokedAt?: string;
};
type Offer = { code: string; role: DeviceRole; name: string; expiresAt: string };

const when = (iso: string) => new Date(iso).toLocaleString();

export function DevicesScreen() {
  const { device } = useDeskStore();
  const { person } = useSession();
  const [devices, setDevices] = useState<DeviceRow[]>([]);
  const [offer, setOffer] = useState<Offer>();
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState({ role: 'desk' as DeviceRole, name: '' });

  const load = useCallback(async () => {
    if (!person) return;
    const result = await callApi<DeviceRow[]>(device, person, 'GET', '/api/devices');
    if (result.ok) setDevices(result.body);
    else setError(result.reason);
  }, [device, person]);
  useEffect(() => void load(), [load]);
  if (!person) return null;

  const makeCode = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const result = await callApi<Offer>(device, person, 'POST', '/api/devices/codes', draft);
    if (result.ok) setOffer(result.body);
    else setError(result.reason);
  };
  const revoke = async (row: DeviceRow) => {
    const result = await callApi(device, person, 'POST', `/api/devices/${row.deviceId}/revoke`, {});
    if (!result.ok) setError(result.reason);
    await load();
  };

  return (
    <section className="stack">
      <h2>{t('devices.title')}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={(e) => void makeCode(e)} className="stack" aria-label={t('devices.newCode')}>
        <h3>{t('devices.newCode')}</h3>
        <label className="field">
          <span>{t('enrol.deviceName')}</span>
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('enrol.deviceRole')}</span>
          <select
            value={draft.role}
            onChange={(e) => setDraft({ ...draft, role: e.target.value as DeviceRole })}
          >
            {deviceRoles.map((role) => (
              <option key={role} value={role}>
                {t(`deviceRole.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('devices.makeCode')}
        </button>
      </form>
      {offer && (
        <p role="status" data-testid="enrolment-code">
          {t('devices.code', { code: offer.code, name: offer.name, until: when(offer.expiresAt) })}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('devices.name')}</th>
            <th scope="col">{t('devices.role')}</th>
            <th scope="col">{t('devices.id')}</th>
            <th scope="col">{t('devices.enrolled')}</th>
            <th scope="col">{t('devices.state')}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((row) => (
            <tr key={row.deviceId} data-testid="device" data-name={row.name}>
              <td>{row.name}</td>
              <td>{t(`deviceRole.${row.role}`)}</td>
              <td>
                <code>{row.deviceId}</code>
              </td>
              <td>{when(row.enrolledAt)}</td>
              <td>
                {row.revokedAt ? (
                  t('devices.revokedAt', { at: when(row.revokedAt) })
                ) : (
                  <button type="button" onClick={() => void revoke(row)}>
                    {t('devices.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
