// Create or edit a concert. The form checks what the authority would refuse and says what to fix; what it sends
// is a request (a fact), which the authority decides like any other.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { t } from '../i18n';
import { validateConcert } from '../lib/concert-form';
import type { ConcertInput, FieldError, LevelInput, ValidConcert } from '../lib/concert-form';

const timezones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function ConcertForm(props: {
  title: string;
  submitLabel: string;
  initial: ConcertInput;
  /** Editing keeps the currency: no request changes it. */
  currencyLocked?: boolean;
  onSubmit: (concert: ValidConcert) => Promise<string | undefined>;
  onClose: () => void;
}) {
  const id = useId();
  const [input, setInput] = useState(props.initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;

  const set = (patch: Partial<ConcertInput>) => setInput({ ...input, ...patch });
  const setLevel = (index: number, patch: Partial<LevelInput>) =>
    set({ levels: input.levels.map((level, i) => (i === index ? { ...level, ...patch } : level)) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = validateConcert(input);
    if (!result.ok) return setErrors(result.errors);
    setBusy(true);
    try {
      const problem = await props.onSubmit(result.value);
      setErrors(problem ? [{ field: 'form', message: problem }] : []);
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: keyof Omit<ConcertInput, 'levels' | 'provisionalAtGate'>,
    label: string,
    extra: { type?: string; list?: string } = {},
  ) => (
    <label className="field">
      <span>{label}</span>
      <input
        type={extra.type ?? 'text'}
        list={extra.list}
        value={input[name]}
        onChange={(e) => set({ [name]: e.target.value })}
        aria-invalid={errorOf(name) ? true : undefined}
        aria-describedby={errorOf(name) ? `${id}-${name}-error` : undefined}
        disabled={name === 'currency' && props.currencyLocked}
      />
      {errorOf(name) && (
        <small id={`${id}-${name}-error`} className="error">
          {errorOf(name)}
        </small>
      )}
    </label>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        {errors.length > 0 && (
          <div role="alert" className="error-summary">
            <p>{t('form.errors')}</p>
            <ul>
              {errors.map((e) => (
                <li key={e.field + e.message}>{e.message}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="grid-2">
          {field('artist', t('form.artist'))}
          {field('title', t('form.title'))}
          {field('venue', t('form.venue'))}
          {field('city', t('form.city'))}
          {field('startsAt', t('form.startsAt'), { type: 'datetime-local' })}
          {field('timezone', t('form.timezone'), { list: `${id}-timezones` })}
          {field('currency', t('form.currency'))}
          {field('holdMinutes', t('form.holdMinutes'), { type: 'number' })}
          <label className="field">
            <span>{t('form.provisionalAtGate')}</span>
            <select
              value={input.provisionalAtGate}
              onChange={(e) => set({ provisionalAtGate: e.target.value === 'refuse' ? 'refuse' : 'admit' })}
            >
              <option value="admit">{t('form.provisionalAdmit')}</option>
              <option value="refuse">{t('form.provisionalRefuse')}</option>
            </select>
          </label>
        </div>
        <datalist id={`${id}-timezones`}>
          {timezones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <fieldset className="levels">
          <legend>{t('form.levels')}</legend>
          {input.levels.map((level, i) => (
            <div className="level-row" key={i}>
              {(['name', 'capacity', 'price'] as const).map((part) => (
                <label className="field" key={part}>
                  <span>
                    {t(
                      part === 'name'
                        ? 'form.levelName'
                        : part === 'capacity'
                          ? 'form.capacity'
                          : 'form.price',
                    )}
                  </span>
                  <input
                    aria-label={`${t(part === 'name' ? 'form.levelName' : part === 'capacity' ? 'form.capacity' : 'form.price')} ${i + 1}`}
                    inputMode={part === 'name' ? 'text' : part === 'capacity' ? 'numeric' : 'decimal'}
                    value={level[part]}
                    onChange={(e) => setLevel(i, { [part]: e.target.value })}
                    aria-invalid={errorOf(`level-${i}-${part}`) ? true : undefined}
                  />
                  {errorOf(`level-${i}-${part}`) && (
                    <small className="error">{errorOf(`level-${i}-${part}`)}</small>
                  )}
                </label>
              ))}
              <button
                type="button"
                className="quiet"
                onClick={() => set({ levels: input.levels.filter((_, j) => j !== i) })}
                aria-label={t('form.removeLevel', { n: i + 1 })}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => set({ levels: [...input.levels, { name: '', capacity: '', price: '' }] })}
          >
            {t('form.addLevel')}
          </button>
        </fieldset>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {props.submitLabel}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
