// The audit view (admins, managers): who did what, on which device, when — the device's clock and the box office's
// (the authority's decision that answered the fact) side by side, from the log this device holds. Names come from the
// device's roster; filter by person, device and type, from the keyboard (the filters come first; Alt+F focuses them).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { isDecision, isFact } from '../../domain/events/catalogue';
import { useDesk, useDeskStore } from '../components/use-desk';
import { locale, t } from '../i18n';
import { loadRoster } from '../session/roster';

type Row = {
  id: string;
  type: string;
  userId: string;
  deviceId: string;
  deviceAt: string;
  answer?: { type: string; at: string };
};

const shownRows = 500;
const instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
const instant = (iso: string) => instantFormat.format(new Date(iso));

export function auditRows(docs: Iterable<AnyEventDoc>): Row[] {
  const facts: AnyEventDoc[] = [];
  const answers = new Map<string, { type: string; at: string }>();
  for (const doc of docs) {
    if (isFact(doc)) facts.push(doc);
    else if (isDecision(doc) && !answers.has(doc.meta.causationId))
      answers.set(doc.meta.causationId, { type: doc.type, at: doc.meta.recordedAt });
  }
  return facts
    .map((fact) => ({
      id: fact._id,
      type: fact.type,
      userId: fact.meta.userId,
      deviceId: fact.meta.deviceId,
      deviceAt: fact.meta.recordedAt,
      answer: answers.get(fact._id),
    }))
    .sort((a, b) => b.deviceAt.localeCompare(a.deviceAt));
}

export function AuditScreen() {
  const store = useDeskStore();
  const { view, orders } = useDesk();
  const [filter, setFilter] = useState({ person: '', device: '', type: '' });
  const first = useRef<HTMLSelectElement>(null);
  const rows = useMemo(() => auditRows(store.allDocs()), [store, view, orders]);
  const names = useMemo(() => new Map(loadRoster().map((p) => [p.userId, p.name])), [rows]);
  const deviceNames = new Map([[store.device.deviceId, store.device.name]]);
  const personName = (userId: string) => names.get(userId) ?? (userId || t('audit.nobody'));
  const deviceName = (deviceId: string) => deviceNames.get(deviceId) ?? deviceId;

  useEffect(() => {
    const focus = (event: KeyboardEvent) => {
      if (event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        first.current?.focus();
      }
    };
    window.addEventListener('keydown', focus);
    return () => window.removeEventListener('keydown', focus);
  }, []);

  const distinct = (pick: (row: Row) => string) => [...new Set(rows.map(pick))].sort();
  const matching = rows.filter(
    (row) =>
      (!filter.person || row.userId === filter.person) &&
      (!filter.device || row.deviceId === filter.device) &&
      (!filter.type || row.type === filter.type),
  );
  const select = (
    key: keyof typeof filter,
    label: string,
    options: string[],
    name: (v: string) => string,
  ) => (
    <label className="field">
      <span>{label}</span>
      <select
        ref={key === 'person' ? first : undefined}
        autoFocus={key === 'person'}
        value={filter[key]}
        onChange={(e) => setFilter({ ...filter, [key]: e.target.value })}
      >
        <option value="">{t('audit.all')}</option>
        {options.map((value) => (
          <option key={value} value={value}>
            {name(value)}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <section className="stack">
      <h2>{t('audit.title')}</h2>
      <p className="hint">{t('audit.intro')}</p>
      <div className="row" role="group" aria-label={t('audit.filters')}>
        {select(
          'person',
          t('audit.person'),
          distinct((r) => r.userId),
          personName,
        )}
        {select(
          'device',
          t('audit.device'),
          distinct((r) => r.deviceId),
          deviceName,
        )}
        {select(
          'type',
          t('audit.type'),
          distinct((r) => r.type),
          (v) => v,
        )}
      </div>
      <p role="status">{t('audit.count', { count: matching.length })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('audit.deviceTime')}</th>
            <th scope="col">{t('audit.person')}</th>
            <th scope="col">{t('audit.device')}</th>
            <th scope="col">{t('audit.type')}</th>
            <th scope="col">{t('audit.answer')}</th>
            <th scope="col">{t('audit.serverTime')}</th>
          </tr>
        </thead>
        <tbody>
          {matching.slice(0, shownRows).map((row) => (
            <tr key={row.id} data-testid="audit-row">
              <td>{instant(row.deviceAt)}</td>
              <td>{personName(row.userId)}</td>
              <td>{deviceName(row.deviceId)}</td>
              <td>{row.type}</td>
              <td>{row.answer?.type ?? t('audit.unanswered')}</td>
              <td>{row.answer ? instant(row.answer.at) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
