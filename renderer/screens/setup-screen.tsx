// First start: where the sync server is and what this desk is called. The device id is made here, once.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { setUpDevice } from '../device';
import type { Device, SetupInput } from '../device';
import { t } from '../i18n';

export function SetupScreen(props: { onDone: (device: Device) => void }) {
  const [input, setInput] = useState<SetupInput>({ server: location.origin, name: '' });
  const [errors, setErrors] = useState<Partial<SetupInput>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = setUpDevice(input);
    if (result.ok) props.onDone(result.device);
    else setErrors(result.errors);
  };

  return (
    <main className="setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate className="stack">
        <label className="field">
          <span>{t('setup.name')}</span>
          <input
            autoFocus
            value={input.name}
            onChange={(e) => setInput({ ...input, name: e.target.value })}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby="setup-name-hint"
          />
          <small id="setup-name-hint" className={errors.name ? 'error' : 'hint'}>
            {errors.name ?? t('setup.nameHint')}
          </small>
        </label>
        <label className="field">
          <span>{t('setup.server')}</span>
          <input
            type="url"
            value={input.server}
            onChange={(e) => setInput({ ...input, server: e.target.value })}
            aria-invalid={errors.server ? true : undefined}
            aria-describedby="setup-server-hint"
          />
          <small id="setup-server-hint" className={errors.server ? 'error' : 'hint'}>
            {errors.server ?? t('setup.serverHint')}
          </small>
        </label>
        <button type="submit" className="primary">
          {t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
