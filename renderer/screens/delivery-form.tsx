// How the tickets reach the customer: printed at the desk, by email, or by courier to a postal address. Checked with
// the delivery context's rules (domain/delivery/address.ts), whose sentence says what to fix.
import type {
  DeliveryKind,
  DeliveryMethod,
  DeliveryMethodCheck,
  PostalAddress,
} from '../../domain/delivery/address';
import { checkDeliveryMethod } from '../../domain/delivery/address';
import { t } from '../i18n';

export type DeliveryDraft = { kind: DeliveryKind; email: string; address: PostalAddress };

const noAddress: PostalAddress = {
  recipient: '',
  line1: '',
  line2: '',
  postalCode: '',
  city: '',
  country: 'PL',
};

export function draftOf(method: DeliveryMethod | null): DeliveryDraft {
  const draft: DeliveryDraft = { kind: 'printed', email: '', address: noAddress };
  if (!method) return draft;
  if (method.kind === 'email') return { ...draft, kind: 'email', email: method.email };
  if (method.kind === 'courier') return { ...draft, kind: 'courier', address: method.address };
  return draft;
}

export function deliveryFrom(draft: DeliveryDraft): DeliveryMethodCheck {
  if (draft.kind === 'email') return checkDeliveryMethod({ kind: 'email', email: draft.email });
  if (draft.kind === 'courier') return checkDeliveryMethod({ kind: 'courier', address: draft.address });
  return checkDeliveryMethod({ kind: 'printed' });
}

const kinds: DeliveryKind[] = ['printed', 'email', 'courier'];
const addressFields = ['recipient', 'line1', 'line2', 'postalCode', 'city', 'country'] as const;

export function DeliveryForm(props: {
  draft: DeliveryDraft;
  problem: string | undefined;
  onChange: (draft: DeliveryDraft) => void;
}) {
  const { draft, problem } = props;
  const set = (change: Partial<DeliveryDraft>) => props.onChange({ ...draft, ...change });
  return (
    <fieldset className="stack delivery">
      <legend>{t('delivery.title')}</legend>
      <div className="row" role="radiogroup" aria-label={t('delivery.title')}>
        {kinds.map((kind) => (
          <label key={kind} className="choice">
            <input
              type="radio"
              name="delivery"
              value={kind}
              checked={draft.kind === kind}
              onChange={() => set({ kind })}
            />
            {t(`delivery.${kind}`)}
          </label>
        ))}
      </div>
      {draft.kind === 'email' && (
        <label className="field">
          <span>{t('delivery.email.address')}</span>
          <input
            type="email"
            autoComplete="off"
            value={draft.email}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? 'delivery-problem' : undefined}
            onChange={(e) => set({ email: e.target.value })}
          />
        </label>
      )}
      {draft.kind === 'courier' && (
        <div className="address">
          {addressFields.map((field) => (
            <label key={field} className="field">
              <span>{t(`delivery.address.${field}`)}</span>
              <input
                autoComplete="off"
                value={draft.address[field]}
                aria-describedby={problem ? 'delivery-problem' : undefined}
                onChange={(e) => set({ address: { ...draft.address, [field]: e.target.value } })}
              />
            </label>
          ))}
        </div>
      )}
      {problem && (
        <p role="alert" className="error" id="delivery-problem">
          {t('delivery.problem', { problem })}
        </p>
      )}
    </fieldset>
  );
}
