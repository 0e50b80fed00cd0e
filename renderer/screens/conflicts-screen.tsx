// The manager's conflict report: for one concert, everything the box office decided differently from what a desk
// assumed, across all devices: the sales it rejected (who sold, both clocks, why, and how each was made good) and the
// desks' seats that lapsed unsold. Sorted by either clock: a desk's clock may be wrong by a day, and both show.
import { useState } from 'react';
import { projectConflicts } from '../../domain/desk/conflicts-view';
import type { Conflict, ConflictOrder, ConflictOutcome } from '../../domain/desk/conflicts-view';
import type { ConcertView } from '../../domain/desk/desk-view';
import { Chip } from '../components/chip';
import { money } from '../components/format';
import { useConcertLog } from '../components/use-concert-log';
import { useDesk, useDeskStore } from '../components/use-desk';
import { locale, t } from '../i18n';
import { ConcertPicker, DeskName, concertLabel, knownConcerts, useConcertChoice } from './allotments-screen';

const choiceKey = 'stagedoor.conflicts.concert';

// Date and time: a device's clock may be a day off, so the day matters as much as the time.
const instantFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
const instant = (iso: string) => instantFormat.format(new Date(iso));

type Direction = 'ascending' | 'descending';
type Sort = { by: ConflictOrder; direction: Direction };

export function ConflictsScreen() {
  const store = useDeskStore();
  const { view } = useDesk();
  const concerts = knownConcerts(view.concerts);
  const [concert, choose] = useConcertChoice(choiceKey, concerts);
  // Newest first: what the manager looks at after a sync is what just came in.
  const [sort, setSort] = useState<Sort>({ by: 'authority', direction: 'descending' });
  const concertId = concert?.concertId;
  const sorted = useConcertLog(
    (docs) => (concertId ? projectConflicts(docs, concertId, sort.by) : []),
    [concertId, sort.by],
  );
  const conflicts = sort.direction === 'ascending' ? sorted : [...sorted].reverse();
  const names = new Map([[store.device.deviceId, store.device.name]]);

  const sortBy = (by: ConflictOrder) =>
    setSort(
      sort.by === by
        ? { by, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
        : { by, direction: 'descending' },
    );
  const ariaSort = (by: ConflictOrder) => (sort.by === by ? sort.direction : undefined);
  const header = (by: ConflictOrder, label: string) => (
    <th scope="col" aria-sort={ariaSort(by)}>
      <button type="button" className="quiet" onClick={() => sortBy(by)}>
        {label}
        <span aria-hidden="true">{sort.by === by ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );

  const rejected = conflicts?.filter((c) => c.kind === 'rejected_sale') ?? [];
  const unsettled = rejected.filter(
    (c) => c.outcome.status === 'unsettled' || c.outcome.status === 'settling',
  ).length;
  const lapsed = (conflicts?.length ?? 0) - rejected.length;

  return (
    <div className="stack">
      <h2>{t('conflicts.title')}</h2>
      <p className="hint">{t('conflicts.intro')}</p>
      {concerts.length === 0 ? (
        <p className="hint">{t('conflicts.noConcerts')}</p>
      ) : (
        <div className="row">
          <ConcertPicker id="conflicts-concert" concerts={concerts} concert={concert} onChoose={choose} />
        </div>
      )}
      {concert && conflicts && (
        <section className="panel" aria-labelledby="conflicts-table">
          <h3 id="conflicts-table">{t('conflicts.tableTitle', { concert: concertLabel(concert) })}</h3>
          {conflicts.length === 0 ? (
            <p className="hint" data-testid="no-conflicts">
              {t('conflicts.none')}
            </p>
          ) : (
            <>
              <p role="status" className="hint">
                {t('conflicts.summary', { rejected: rejected.length, unsettled, lapsed })}
              </p>
              <table aria-labelledby="conflicts-table">
                <thead>
                  <tr>
                    <th scope="col">{t('conflicts.what')}</th>
                    <th scope="col">{t('conflicts.desk')}</th>
                    <th scope="col">{t('conflicts.staff')}</th>
                    <th scope="col">{t('conflicts.level')}</th>
                    <th scope="col">{t('conflicts.seats')}</th>
                    {header('device', t('conflicts.deviceTime'))}
                    {header('authority', t('conflicts.authorityTime'))}
                    <th scope="col">{t('conflicts.reason')}</th>
                    <th scope="col">{t('conflicts.outcome')}</th>
                  </tr>
                </thead>
                <tbody>
                  {conflicts.map((conflict) => (
                    <ConflictRow
                      key={`${conflict.kind}:${conflict.id}`}
                      conflict={conflict}
                      names={names}
                      concert={concert}
                      concerts={view.concerts}
                    />
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
    </div>
  );
}

function ConflictRow(props: {
  conflict: Conflict;
  names: ReadonlyMap<string, string>;
  concert: ConcertView;
  concerts: ConcertView[];
}) {
  const { conflict } = props;
  const outcome = conflict.kind === 'rejected_sale' ? conflict.outcome.status : 'lapsed';
  return (
    <tr
      data-testid="conflict"
      data-kind={conflict.kind}
      data-id={conflict.id}
      data-device-id={conflict.deviceId ?? undefined}
      data-outcome={outcome}
    >
      <th scope="row">
        {conflict.kind === 'rejected_sale' ? (
          <>
            {t('conflicts.kind.rejected_sale')}
            <div className="hint">
              {t(conflict.claim === 'allotment' ? 'conflicts.claim.allotment' : 'conflicts.claim.pool')}
            </div>
          </>
        ) : (
          t('conflicts.kind.lapsed_block')
        )}
      </th>
      <td>
        {conflict.deviceId === null ? (
          t('conflicts.unknown')
        ) : (
          <DeskName deviceId={conflict.deviceId} names={props.names} />
        )}
      </td>
      <td>{conflict.kind === 'rejected_sale' ? (conflict.userId ?? t('conflicts.unknown')) : '—'}</td>
      <td>{conflict.level}</td>
      <td>{conflict.quantity}</td>
      <td>
        {conflict.deviceTime ? (
          <time dateTime={conflict.deviceTime}>{instant(conflict.deviceTime)}</time>
        ) : conflict.kind === 'rejected_sale' ? (
          t('conflicts.unknown')
        ) : (
          '—'
        )}
      </td>
      <td>
        <time dateTime={conflict.authorityTime}>{instant(conflict.authorityTime)}</time>
      </td>
      <td>{conflict.kind === 'rejected_sale' ? conflict.reason : t('conflicts.lapsedReason')}</td>
      <td>
        {conflict.kind === 'rejected_sale' ? (
          <Outcome outcome={conflict.outcome} concerts={props.concerts} />
        ) : (
          <Chip tone="neutral" label={t('conflicts.backInPool')} />
        )}
      </td>
    </tr>
  );
}

function Outcome(props: { outcome: ConflictOutcome; concerts: ConcertView[] }) {
  const { outcome } = props;
  switch (outcome.status) {
    case 'unsettled':
      return <Chip tone="bad" label={t('conflicts.outcome.unsettled')} />;
    case 'settling':
      return <Chip tone="waiting" label={t(`conflicts.outcome.settling.${outcome.kind}`)} />;
    case 'cash_refund':
      return (
        <Chip
          tone="good"
          label={t('conflicts.outcome.cash_refund', { amount: money(outcome.amount, outcome.currency) })}
        />
      );
    case 'exchange': {
      const sale = outcome.exchange;
      const concert = props.concerts.find((c) => c.concertId === sale?.concertId);
      return (
        <>
          <Chip tone="good" label={t('conflicts.outcome.exchange')} />
          {outcome.amount > 0 && (
            <div className="hint">
              {t('conflicts.handedBack', { amount: money(outcome.amount, outcome.currency) })}
            </div>
          )}
          {sale && (
            <div className="hint" data-testid="exchange-sale" data-status={sale.status}>
              {sale.level !== null && sale.quantity !== null
                ? t('conflicts.exchangeSale', {
                    quantity: sale.quantity,
                    level: sale.level,
                    concert: concert ? concertLabel(concert) : (sale.concertId ?? ''),
                    status: t(`conflicts.exchangeStatus.${sale.status}`),
                  })
                : t('conflicts.exchangeUnknown', { saleId: sale.saleId })}
            </div>
          )}
        </>
      );
    }
  }
}
