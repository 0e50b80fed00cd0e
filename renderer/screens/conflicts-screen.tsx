// The manager's conflict report: for one concert, everything the box office decided differently from what a desk
// assumed, across all devices: the sales it rejected (who sold, both clocks, why, and how each was made good), the
// desks' seats that lapsed unsold, the orders' holds that expired unpaid, and the entries a gate let through that it
// refused (a ticket used twice). Sorted by either clock: a desk's clock may be wrong by a day, and both show.
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
  const { view, orders } = useDesk();
  const concerts = knownConcerts(view.concerts);
  const [concert, choose] = useConcertChoice(choiceKey, concerts);
  // Newest first: what the manager looks at after a sync is what just came in.
  const [sort, setSort] = useState<Sort>({ by: 'authority', direction: 'descending' });
  const concertId = concert?.concertId;
  // An expired hold's desk and staff are in the orders' CartConfirmed: read with the concert's events.
  const sorted = useConcertLog(
    (docs) => (concertId ? projectConflicts([...docs, ...store.orderDocs()], concertId, sort.by) : []),
    [concertId, sort.by, orders],
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
  const lapsed = conflicts?.filter((c) => c.kind === 'lapsed_block').length ?? 0;
  const gates = conflicts?.filter((c) => c.kind === 'gate_refusal').length ?? 0;
  const expired = new Set(conflicts?.flatMap((c) => (c.kind === 'expired_hold' ? [c.reservationId] : [])))
    .size;

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
                {t('conflicts.summary', { rejected: rejected.length, unsettled, lapsed, expired, gates })}
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
  const outcome = outcomeOf(conflict);
  return (
    <tr
      data-testid="conflict"
      data-kind={conflict.kind}
      data-id={conflict.id}
      data-device-id={conflict.deviceId ?? undefined}
      data-outcome={outcome}
    >
      <th scope="row">
        <What conflict={conflict} />
      </th>
      <td>
        {conflict.deviceId === null ? (
          t('conflicts.unknown')
        ) : (
          <DeskName deviceId={conflict.deviceId} names={props.names} />
        )}
      </td>
      <td>{conflict.kind === 'lapsed_block' ? '—' : (conflict.userId ?? t('conflicts.unknown'))}</td>
      <td>{conflict.level}</td>
      <td>{conflict.quantity}</td>
      <td>
        {conflict.deviceTime ? (
          <time dateTime={conflict.deviceTime}>{instant(conflict.deviceTime)}</time>
        ) : conflict.kind === 'lapsed_block' ? (
          '—'
        ) : (
          t('conflicts.unknown')
        )}
      </td>
      <td>
        <time dateTime={conflict.authorityTime}>{instant(conflict.authorityTime)}</time>
      </td>
      <td>{reasonOf(conflict)}</td>
      <td>
        {conflict.kind === 'rejected_sale' ? (
          <Outcome outcome={conflict.outcome} concerts={props.concerts} />
        ) : conflict.kind === 'lapsed_block' ? (
          <Chip tone="neutral" label={t('conflicts.backInPool')} />
        ) : conflict.kind === 'expired_hold' ? (
          <Chip tone="neutral" label={t('conflicts.expiredOutcome')} />
        ) : (
          <Chip tone="bad" label={t('conflicts.gateOutcome')} />
        )}
      </td>
    </tr>
  );
}

/** The outcome a row is found by (data-outcome). */
function outcomeOf(conflict: Conflict): string {
  switch (conflict.kind) {
    case 'rejected_sale':
      return conflict.outcome.status;
    case 'lapsed_block':
      return 'lapsed';
    case 'expired_hold':
      return 'expired';
    case 'gate_refusal':
      return 'let_through';
  }
}

/** Why the box office decided as it did, in words. */
function reasonOf(conflict: Conflict): string {
  switch (conflict.kind) {
    case 'rejected_sale':
      return conflict.reason;
    case 'lapsed_block':
      return t('conflicts.lapsedReason');
    case 'expired_hold':
      return t('conflicts.expiredReason', { heldUntil: instant(conflict.heldUntil) });
    case 'gate_refusal':
      if (conflict.reason !== 'already_used') return t(`conflicts.gateReason.${conflict.reason}`);
      return conflict.firstEntry
        ? t('conflicts.gateReason.already_used', {
            gate: conflict.firstEntry.gate,
            time: instant(conflict.firstEntry.at),
          })
        : t('conflicts.gateReason.already_used_unknown');
  }
}

/** What happened, with what tells it apart: what the desk told the buyer, the order, or the gate and ticket. */
function What(props: { conflict: Conflict }) {
  const { conflict } = props;
  switch (conflict.kind) {
    case 'rejected_sale':
      return (
        <>
          {t('conflicts.kind.rejected_sale')}
          <div className="hint">
            {t(conflict.claim === 'allotment' ? 'conflicts.claim.allotment' : 'conflicts.claim.pool')}
          </div>
        </>
      );
    case 'lapsed_block':
      return <>{t('conflicts.kind.lapsed_block')}</>;
    case 'expired_hold':
      return (
        <>
          {t('conflicts.kind.expired_hold')}
          <div className="hint">{t('conflicts.order', { order: conflict.orderId })}</div>
        </>
      );
    case 'gate_refusal':
      return (
        <>
          {t('conflicts.kind.gate_refusal')}
          <div className="hint">
            {t('conflicts.gate', { gate: conflict.gate, ticket: conflict.ticketId })}
          </div>
        </>
      );
  }
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
