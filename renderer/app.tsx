// The desk's frame: the screens, the navigation between them, and the sync status, always in view.
import { useEffect, useState } from 'react';
import { RejectedBanner } from './components/rejected-banner';
import { SyncStatus } from './components/sync-status';
import { useDeskStore } from './components/use-desk';
import { t } from './i18n';
import { AllotmentsScreen } from './screens/allotments-screen';
import { ConcertsScreen } from './screens/concerts-screen';
import { ConflictsScreen } from './screens/conflicts-screen';
import { DrawerScreen } from './screens/drawer-screen';
import { OrdersScreen } from './screens/orders-screen';
import { ScanScreen } from './screens/scan-screen';
import { SellScreen } from './screens/sell-screen';

const screens = {
  sell: SellScreen,
  orders: OrdersScreen,
  concerts: ConcertsScreen,
  allotments: AllotmentsScreen,
  conflicts: ConflictsScreen,
  scan: ScanScreen,
  drawer: DrawerScreen,
} as const;
type Screen = keyof typeof screens;

// The screen lives in the address (#/sell, #/orders, #/concerts, …), so a reload stays where the person was.
const screenOf = (hash: string): Screen => {
  const name = hash.replace(/^#\//, '');
  return Object.hasOwn(screens, name) ? (name as Screen) : 'sell';
};

export function App() {
  const store = useDeskStore();
  const [screen, setScreen] = useState<Screen>(() => screenOf(location.hash));
  useEffect(() => {
    const follow = () => setScreen(screenOf(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const Current = screens[screen];
  return (
    <>
      <header className="top">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span className="hint">{t('sync.device', { name: store.device.name })}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          {(Object.keys(screens) as Screen[]).map((name) => (
            <a key={name} href={`#/${name}`} aria-current={screen === name ? 'page' : undefined}>
              {t(`nav.${name}`)}
            </a>
          ))}
        </nav>
        <SyncStatus />
      </header>
      {/* A rejected sale is impossible to miss, on every screen, until it is made good. */}
      <RejectedBanner />
      <main className="content">
        <Current />
      </main>
    </>
  );
}
