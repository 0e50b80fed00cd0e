// Starts the desk: the setup screen at first start, then the local log and the app.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { DeskContext } from './components/use-desk';
import { loadDevice } from './device';
import type { Device } from './device';
import { t } from './i18n';
import { deskKeyOf } from './lib/desk-key';
import { SetupScreen } from './screens/setup-screen';
import { openDeskStore } from './store/desk-store';
import type { DeskStore } from './store/desk-store';
import './styles.css';

function Root() {
  const [device, setDevice] = useState<Device | undefined>(loadDevice);
  const [store, setStore] = useState<DeskStore>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    if (!device) return;
    let closed = false;
    let opened: DeskStore | undefined;
    openDeskStore(device).then(
      (desk) => {
        if (closed) return void desk.close();
        opened = desk;
        // The signing key is made and its certification asked for while the desk is online, before any print (a
        // scanner or a manager's desktop sells nothing: it has no key).
        if (desk.device.role === 'desk') deskKeyOf(desk);
        setStore(desk);
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      closed = true;
      if (opened?.device.role === 'desk') deskKeyOf(opened).stop();
      void opened?.close();
    };
  }, [device]);

  if (!device) return <SetupScreen onDone={setDevice} />;
  if (failure)
    return (
      <p role="alert" className="error page-message">
        {t('app.failed', { reason: failure })}
      </p>
    );
  if (!store) return <p className="page-message">{t('app.loading')}</p>;
  return (
    <DeskContext.Provider value={store}>
      <App />
    </DeskContext.Provider>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  );

// Served over HTTP, the app shell is cached by a service worker so the desk opens again with no network.
// (The desktop shell loads it from disk and needs none.)
if (import.meta.env.PROD && 'serviceWorker' in navigator && location.protocol.startsWith('http'))
  void navigator.serviceWorker.register('/sw.js', { type: 'module' });
