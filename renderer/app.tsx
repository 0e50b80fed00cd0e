// The desk's frame: who is signed in (or the sign-in and lock screens), the screens their role may use and the
// navigation between them, and the sync status, always in view. A revoked device shows only that.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { RejectedBanner } from './components/rejected-banner';
import { SyncStatus } from './components/sync-status';
import { useDeskStore } from './components/use-desk';
import { forgetDevice } from './device';
import type { Device } from './device';
import { t } from './i18n';
import { AllotmentsScreen } from './screens/allotments-screen';
import { AuditScreen } from './screens/audit-screen';
import { ConcertsScreen } from './screens/concerts-screen';
import { ConflictsScreen } from './screens/conflicts-screen';
import { DevicesScreen } from './screens/devices-screen';
import { DrawerScreen } from './screens/drawer-screen';
import { FinanceScreen } from './screens/finance-screen';
import { LockScreen } from './screens/lock-screen';
import { OrdersScreen } from './screens/orders-screen';
import { PeopleScreen } from './screens/people-screen';
import { ScanScreen } from './screens/scan-screen';
import { SellScreen } from './screens/sell-screen';
import { SignInScreen } from './screens/sign-in-screen';
import { homeScreen, mayOpen, screenNames } from './session/access';
import type { ScreenName } from './session/access';
import { refreshRoster, rosterPerson } from './session/roster';
import { currentPerson, lockSession, signOut, useSession, watchIdle } from './session/session';

const screens = {
  sell: SellScreen,
  orders: OrdersScreen,
  concerts: ConcertsScreen,
  allotments: AllotmentsScreen,
  conflicts: ConflictsScreen,
  scan: ScanScreen,
  drawer: DrawerScreen,
  finance: FinanceScreen,
  people: PeopleScreen,
  devices: DevicesScreen,
  audit: AuditScreen,
} as const satisfies Record<ScreenName, () => unknown>;

/** The roster is fetched again this often while the device is online (and at sign-in). */
const rosterEveryMs = 10_000;

// The screen lives in the address (#/sell, #/orders, #/concerts, …), so a reload stays where the person was.
const screenOf = (hash: string): ScreenName | undefined => {
  const name = hash.replace(/^#\//, '');
  return Object.hasOwn(screens, name) ? (name as ScreenName) : undefined;
};

export function App() {
  const store = useDeskStore();
  const { device } = store;
  const revokedNow = useSyncExternalStore(
    store.subscribe,
    () => store.getSnapshot().connection.revoked === true,
  );
  const [revokedAtSignIn, setRevoked] = useState(false);
  const { person, locked } = useSession();
  const onRevoked = useCallback(() => setRevoked(true), []);

  // The roster at each contact: a person deactivated meanwhile is signed out and loses their cached PIN.
  useEffect(() => {
    const contact = () => {
      if (!navigator.onLine) return;
      void refreshRoster(device).then((result) => {
        if (result === 'revoked') setRevoked(true);
        const at = currentPerson();
        if (result === 'ok' && at && rosterPerson(at.name)?.status !== 'active') signOut(device);
      });
    };
    const timer = setInterval(contact, rosterEveryMs);
    window.addEventListener('online', contact);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', contact);
    };
  }, [device]);
  useEffect(() => (person ? watchIdle() : undefined), [person]);

  if (revokedNow || revokedAtSignIn) return <Revoked />;
  if (!person) return <SignInScreen device={device} onRevoked={onRevoked} />;
  if (locked) return <LockScreen device={device} person={person} />;
  return <Signed device={device} />;
}

function Revoked() {
  return (
    <main className="setup">
      <h1>{t('revoked.title')}</h1>
      <p role="alert" className="error">
        {t('revoked.body')}
      </p>
      <button
        type="button"
        onClick={() => {
          forgetDevice();
          location.reload();
        }}
      >
        {t('revoked.setUpAgain')}
      </button>
    </main>
  );
}

function Signed(props: { device: Device }) {
  const { device } = props;
  const { person } = useSession();
  const [screen, setScreen] = useState<ScreenName | undefined>(() => screenOf(location.hash));
  useEffect(() => {
    const follow = () => setScreen(screenOf(location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  if (!person) return null;
  const shown = screen ?? homeScreen(person.role);
  const allowed = mayOpen(person.role, shown);
  const Current = screens[shown];
  return (
    <>
      <header className="top">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span className="hint">{t('sync.device', { name: device.name })}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          {screenNames
            .filter((name) => mayOpen(person.role, name))
            .map((name) => (
              <a key={name} href={`#/${name}`} aria-current={shown === name ? 'page' : undefined}>
                {t(`nav.${name}`)}
              </a>
            ))}
        </nav>
        <div className="row" aria-label={t('session.who')}>
          <span data-testid="signed-in">{t('session.person', { name: person.name, role: person.role })}</span>
          <button type="button" onClick={lockSession}>
            {t('session.lock')}
          </button>
          <button type="button" onClick={() => signOut(device)}>
            {t('session.signOut')}
          </button>
        </div>
        <SyncStatus />
      </header>
      {/* A rejected sale is impossible to miss, on every screen, until it is made good. */}
      {allowed && <RejectedBanner />}
      <main className="content">
        {allowed ? (
          <Current />
        ) : (
          <p role="alert" className="error page-message">
            {t('nav.notAllowed', { screen: t(`nav.${shown}`), role: person.role })}
          </p>
        )}
      </main>
    </>
  );
}
