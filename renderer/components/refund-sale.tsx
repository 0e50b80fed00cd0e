// Refunding a confirmed sale at the desk: the cash handed back, recorded as a fact; the box office voids the sale's
// tickets (a scanner that has synced refuses them) and puts its seats back on sale. Asked once, confirmed by a second
// press, so a slip of the hand refunds nothing.
import { useState } from 'react';
import type { SaleView } from '../../domain/desk/desk-view';
import { saleReservationIdFor, ticketIdsFor } from '../../domain/order/order';
import { t } from '../i18n';
import { Chip } from './chip';
import { money } from './format';
import { useDeskStore } from './use-desk';

export function RefundSale(props: { sale: SaleView }) {
  const { sale } = props;
  const store = useDeskStore();
  const [asking, setAsking] = useState(false);
  const [failure, setFailure] = useState<string>();
  const refund = sale.refund ?? { status: 'none', reason: null };
  if (sale.status !== 'confirmed') return null;
  if (refund.status === 'refunded') return <Chip tone="neutral" label={t('refund.done')} />;
  if (refund.status === 'pending') return <Chip tone="waiting" label={t('refund.pending')} />;
  const amount = money(sale.total, sale.currency);
  const confirm = async () => {
    setFailure(undefined);
    try {
      await store.record('SaleRefundRequested', (refundId) => ({
        refundId,
        saleId: sale.saleId,
        concertId: sale.concertId,
        ticketIds: ticketIdsFor(saleReservationIdFor(sale.saleId), sale.quantity),
        amount: sale.total,
        currency: sale.currency,
      }));
      setAsking(false);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div className="stack" data-testid="sale-refund">
      {refund.status === 'refused' && (
        <small className="error">{t('refund.refused', { reason: refund.reason ?? '' })}</small>
      )}
      {asking ? (
        <div className="row">
          <button type="button" onClick={() => void confirm()}>
            {t('refund.confirm', { amount })}
          </button>
          <button type="button" className="quiet" onClick={() => setAsking(false)}>
            {t('refund.keep')}
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          {t('refund.ask')}
        </button>
      )}
      {failure && (
        <small role="alert" className="error">
          {failure}
        </small>
      )}
    </div>
  );
}
