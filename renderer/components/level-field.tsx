// The level picker of the sell and cart forms: each level with its price and the seats this desk believes are left.
import type { ConcertView } from '../../domain/desk/desk-view';
import { t } from '../i18n';
import { money } from './format';

export function LevelField(props: {
  id: string;
  concert: ConcertView | undefined;
  value: string;
  onChange: (level: string) => void;
}) {
  const { id, concert, value, onChange } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{t('sell.level')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={!concert}>
        {concert?.levels.map((l) => (
          <option key={l.name} value={l.name}>
            {t('sell.levelOption', {
              name: l.name,
              price: money(l.price, concert.currency),
              left: l.believedLeft,
            })}
          </option>
        ))}
      </select>
    </div>
  );
}
