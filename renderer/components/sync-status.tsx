// Always in view: is the desk online, how many of its facts wait to upload, when it last heard from the authority,
// and a warning when a sale has waited for the authority's decision for long.
import { t } from '../i18n';
import { Chip } from './chip';
import { ago } from './format';
import { useDesk, useNow } from './use-desk';

/** A pending sale older than this gets the customer told: the authority has not decided it yet. */
export const longPendingMinutes = 2;

export function SyncStatus() {
  const { connection, waiting, view } = useDesk();
  const now = useNow();
  const longPending = view.sales.filter(
    (sale) => sale.status === 'pending' && now - Date.parse(sale.recordedAt) > longPendingMinutes * 60_000,
  ).length;
  return (
    <section className="sync-status" aria-label={t('sync.title')}>
      <div role="status" aria-live="polite" className="sync-items">
        <span data-testid="sync-connection">
          {connection.online ? (
            <Chip tone="good" label={t('sync.online')} />
          ) : (
            <Chip tone="bad" label={t('sync.offline')} />
          )}
        </span>
        <span className="sync-item">
          {t('sync.waiting')}:{' '}
          <strong data-testid="sync-waiting" data-count={waiting}>
            {waiting}
          </strong>
        </span>
        <span className="sync-item">
          {t('sync.lastContact')}:{' '}
          <strong data-testid="sync-last-contact">
            {connection.lastContact === null ? t('sync.never') : ago(connection.lastContact, now)}
          </strong>
        </span>
      </div>
      {longPending > 0 && (
        <p role="alert" className="sync-warning">
          {t('sync.longPending', { count: longPending, minutes: longPendingMinutes })}
        </p>
      )}
    </section>
  );
}
