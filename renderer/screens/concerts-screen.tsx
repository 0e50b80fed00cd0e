// The organizer's concerts: create, edit, publish, unpublish, cancel. Each action writes a request fact; the
// concert's status and the request's outcome change when the authority's decision arrives.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ulid } from 'ulid';
import type { ConcertView } from '../../domain/desk/desk-view';
import { Chip, StatusChip } from '../components/chip';
import { clockTime, concertDate } from '../components/format';
import { useDesk, useDeskStore } from '../components/use-desk';
import { t } from '../i18n';
import { emptyConcertInput, inputFromConcert, newConcertId } from '../lib/concert-form';
import type { ValidConcert } from '../lib/concert-form';
import { ConcertForm } from './concert-form';

type Editing = { mode: 'create' } | { mode: 'edit'; concert: ConcertView } | null;

const deskTimezone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function ConcertsScreen() {
  const store = useDeskStore();
  const { view } = useDesk();
  const [editing, setEditing] = useState<Editing>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [notice, setNotice] = useState<string>();

  const create = async ({ details, currency, levels }: ValidConcert) => {
    const concertId = newConcertId(details, ulid());
    await store.record('ConcertCreationRequested', () => ({ concertId, ...details, currency, levels }));
    setEditing(null);
    setNotice(t('form.sent'));
    return undefined;
  };

  const edit =
    (concert: ConcertView) =>
    async ({ details, levels }: ValidConcert) => {
      const { concertId } = concert;
      // The gates' policy is written only when it refuses: admitting is also what a concert that never chose does.
      const detailsChanged =
        (Object.keys(details) as (keyof typeof details)[]).some((key) => details[key] !== concert[key]) ||
        (details.provisionalAtGate ?? 'admit') !== (concert.provisionalAtGate ?? 'admit');
      const levelsChanged =
        JSON.stringify(levels) !==
        JSON.stringify(concert.levels.map(({ name, capacity, price }) => ({ name, capacity, price })));
      if (!detailsChanged && !levelsChanged) return t('form.noChange');
      if (detailsChanged)
        await store.record('ConcertDetailsChangeRequested', () => ({ concertId, ...details }));
      if (levelsChanged) await store.record('TicketLevelsChangeRequested', () => ({ concertId, levels }));
      setEditing(null);
      setNotice(t('form.sent'));
      return undefined;
    };

  const pendingRequest = (concertId: string) =>
    view.requests.find(
      (r) => r.concertId === concertId && r.status === 'pending' && r.type !== 'ConcertCreationRequested',
    );

  return (
    <div className="stack">
      <div className="row spread">
        <h2>{t('concerts.title')}</h2>
        <button
          type="button"
          className="primary"
          onClick={() => setEditing({ mode: 'create' })}
          disabled={editing !== null}
        >
          {t('concerts.new')}
        </button>
      </div>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {editing?.mode === 'create' && (
        <ConcertForm
          title={t('form.createTitle')}
          submitLabel={t('form.submitCreate')}
          initial={emptyConcertInput(deskTimezone)}
          onSubmit={create}
          onClose={() => setEditing(null)}
        />
      )}
      {editing?.mode === 'edit' && (
        <ConcertForm
          key={editing.concert.concertId}
          title={t('form.editTitle', { concert: editing.concert.artist })}
          submitLabel={t('form.submitEdit')}
          initial={inputFromConcert(editing.concert)}
          currencyLocked
          onSubmit={edit(editing.concert)}
          onClose={() => setEditing(null)}
        />
      )}
      <section className="panel" aria-labelledby="concerts-table">
        <h3 id="concerts-table" className="visually-hidden">
          {t('concerts.title')}
        </h3>
        {view.concerts.length === 0 ? (
          <p className="hint">{t('concerts.none')}</p>
        ) : (
          <table aria-labelledby="concerts-table">
            <thead>
              <tr>
                <th scope="col">{t('concerts.concert')}</th>
                <th scope="col">{t('concerts.where')}</th>
                <th scope="col">{t('concerts.when')}</th>
                <th scope="col">{t('concerts.levels')}</th>
                <th scope="col">{t('concerts.status')}</th>
                <th scope="col">{t('concerts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {view.concerts.map((concert) => {
                const pending = pendingRequest(concert.concertId);
                const open = concert.status === 'draft' || concert.status === 'published';
                return (
                  <tr
                    key={concert.concertId}
                    data-testid="concert"
                    data-concert-id={concert.concertId}
                    data-status={concert.status}
                  >
                    <th scope="row">
                      {concert.artist}
                      {concert.title && <div className="hint">{concert.title}</div>}
                    </th>
                    <td>{[concert.venue, concert.city].filter(Boolean).join(', ')}</td>
                    <td>{concertDate(concert.startsAt, concert.timezone)}</td>
                    <td>
                      {concert.levels
                        .map((l) =>
                          t('concerts.levelSummary', { name: l.name, left: l.left, capacity: l.capacity }),
                        )
                        .join(' · ')}
                    </td>
                    <td>
                      <StatusChip status={concert.status} />
                      {pending && (
                        <Chip
                          tone="waiting"
                          label={`${t(`request.${pending.type}`)}: ${t('status.pending')}`}
                        />
                      )}
                      {concert.reason && <div className="error">{concert.reason}</div>}
                    </td>
                    <td>
                      {cancelling === concert.concertId ? (
                        <CancelForm
                          concert={concert}
                          onCancel={async (reason) => {
                            await store.record('ConcertCancellationRequested', () => ({
                              concertId: concert.concertId,
                              reason,
                            }));
                            setCancelling(null);
                          }}
                          onKeep={() => setCancelling(null)}
                        />
                      ) : (
                        open && (
                          <div className="row">
                            <button
                              type="button"
                              onClick={() => setEditing({ mode: 'edit', concert })}
                              disabled={editing !== null}
                            >
                              {t('concerts.edit')}
                            </button>
                            {concert.status === 'draft' ? (
                              <button
                                type="button"
                                onClick={() =>
                                  void store.record('ConcertPublicationRequested', () => ({
                                    concertId: concert.concertId,
                                  }))
                                }
                              >
                                {t('concerts.publish')}
                              </button>
                            ) : (
                              <button
                                type="button"
                                onClick={() =>
                                  void store.record('ConcertUnpublicationRequested', () => ({
                                    concertId: concert.concertId,
                                  }))
                                }
                              >
                                {t('concerts.unpublish')}
                              </button>
                            )}
                            <button
                              type="button"
                              className="danger"
                              onClick={() => setCancelling(concert.concertId)}
                            >
                              {t('concerts.cancel')}
                            </button>
                          </div>
                        )
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <Requests />
    </div>
  );
}

function CancelForm(props: {
  concert: ConcertView;
  onCancel: (reason: string) => Promise<void>;
  onKeep: () => void;
}) {
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void props.onCancel(reason.trim());
  };
  return (
    <form onSubmit={submit} className="stack" onKeyDown={(e) => e.key === 'Escape' && props.onKeep()}>
      <label className="field">
        <span>{t('concerts.cancelReason', { concert: props.concert.artist })}</span>
        <input autoFocus value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="danger">
          {t('concerts.cancelConfirm')}
        </button>
        <button type="button" onClick={props.onKeep}>
          {t('concerts.keep')}
        </button>
      </div>
    </form>
  );
}

function Requests() {
  const { view } = useDesk();
  const concerts = new Map(view.concerts.map((c) => [c.concertId, c]));
  return (
    <section className="panel" aria-labelledby="requests-title">
      <h3 id="requests-title">{t('concerts.requests')}</h3>
      {view.requests.length === 0 ? (
        <p className="hint">{t('concerts.noRequests')}</p>
      ) : (
        <table aria-labelledby="requests-title">
          <thead>
            <tr>
              <th scope="col">{t('concerts.request')}</th>
              <th scope="col">{t('concerts.concert')}</th>
              <th scope="col">{t('concerts.requestedAt')}</th>
              <th scope="col">{t('concerts.status')}</th>
              <th scope="col">{t('sales.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {view.requests.slice(0, 30).map((request) => (
              <tr key={request.requestId} data-testid="request" data-status={request.status}>
                <td>{t(`request.${request.type}`)}</td>
                <td>{concerts.get(request.concertId)?.artist ?? request.concertId}</td>
                <td>{clockTime(request.recordedAt)}</td>
                <td>
                  <StatusChip status={request.status} />
                </td>
                <td>{request.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
