// The gate: a device bound to one concert and one gate scans tickets in or out, from a keyboard-wedge scanner (keys
// taken from the whole window) or the camera, and shows the verdict at once, full screen, with a sound. It needs no
// network: the signature is checked against the trust in the local log, and the scan is judged against the tickets,
// refunds and scans the device holds (domain/desk/scanner-log.ts: kept as the log grows, so a scan is a few map reads
// whatever the size of the concert). Every scan is recorded as a fact; the authority puts every gate's scans in one
// order and flags a ticket used twice.
import {
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { annullable } from '../../domain/desk/scanner-view';
import type { GateVerdict, ScannerBook } from '../../domain/desk/scanner-view';
import type { ScanDirection } from '../../domain/ticket/events';
import { annulWindowMs } from '../../domain/ticket/gate-events';
import { verifyTicketCode, verifyTicketCodeNow } from '../../domain/ticket/signing';
import type { SignatureCheck, TicketCodeVerdict } from '../../domain/ticket/signing';
import { useDesk, useDeskStore } from '../components/use-desk';
import { locale, t } from '../i18n';
import { loadSignatureCheck } from '../lib/ed25519';
import { useScannerLog } from '../lib/scanner-book';
import { startCamera } from '../lib/scanner-camera';
import type { CameraScan } from '../lib/scanner-camera';
import { loadBinding, saveBinding } from '../lib/scanner-settings';
import type { ScannerBinding } from '../lib/scanner-settings';
import { beep } from '../lib/scanner-sound';
import { trustKeeper } from '../lib/scanner-trust';
import { typingInField, wedgeReader } from '../lib/scanner-wedge';
import { newFactId } from '../store/facts';
import { concertLabel, knownConcerts } from './allotments-screen';

const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
const clock = (iso: string) => timeFormat.format(new Date(iso));
/** How long a verdict fills the screen before the gate is ready again (a new scan replaces it at once). */
const verdictMs = 3000;
/** The least time between two renders of the counts and the recent scans (after a quiet moment: at once). */
const restEveryMs = 100;

export function ScanScreen() {
  const [binding, setBinding] = useState<ScannerBinding | undefined>(loadBinding);
  const bind = (next: ScannerBinding | undefined) => {
    saveBinding(next);
    setBinding(next);
  };
  return binding ? <Gate binding={binding} onBind={bind} /> : <BindForm onBind={bind} />;
}

function BindForm(props: { onBind: (binding: ScannerBinding) => void }) {
  const { view } = useDesk();
  const concerts = knownConcerts(view.concerts);
  const [concertId, setConcertId] = useState('');
  const [gate, setGate] = useState('');
  const [error, setError] = useState<string>();
  const chosen = concertId || concerts[0]?.concertId || '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return setError(t('scan.noConcert'));
    if (!gate.trim()) return setError(t('scan.noGate'));
    props.onBind({ concertId: chosen, gate: gate.trim(), direction: 'entry' });
  };
  return (
    <section className="panel" aria-labelledby="scan-bind">
      <h2 id="scan-bind">{t('scan.bindTitle')}</h2>
      <p className="hint">{t('scan.bindIntro')}</p>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="scan-concert">{t('scan.concert')}</label>
          <select id="scan-concert" value={chosen} onChange={(e) => setConcertId(e.target.value)}>
            {concerts.map((c) => (
              <option key={c.concertId} value={c.concertId}>
                {concertLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="scan-gate">{t('scan.gate')}</label>
          <input
            id="scan-gate"
            value={gate}
            onChange={(e) => setGate(e.target.value)}
            placeholder={t('scan.gateHint')}
          />
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit">{t('scan.start')}</button>
        </div>
      </form>
    </section>
  );
}

function Gate(props: { binding: ScannerBinding; onBind: (binding: ScannerBinding | undefined) => void }) {
  const { binding } = props;
  const { concertId, gate, direction } = binding;
  const store = useDeskStore();
  const snapshot = useDesk();
  const { deviceId } = store.device;
  const concert = snapshot.view.concerts.find((c) => c.concertId === concertId);
  // Kept as the log grows (only what it gained is folded); a scan is folded into it at once, so the next one sees it.
  const scanner = useScannerLog(store, deviceId, concertId);
  const { book } = scanner;
  const [, setTick] = useState(0);
  const verdicts = useMemo(verdictChannel, []);
  const [failure, setFailure] = useState<string>();

  const keeper = useRef(trustKeeper());
  /** The keys this scanner trusts (the authority's and the desks' certified ones): shown, and read by tests. */
  const [signers, setSigners] = useState(0);
  // The trust is folded as the log grows, off the path of a scan.
  useEffect(() => {
    keeper.current
      .catchUp(() => store.allDocs())
      .then((trust) => setSigners(trust.authorityKeys.size + trust.certificates.size))
      .catch(() => undefined);
  }, [snapshot, store]);

  // The signature check that answers at once (renderer/lib/ed25519.ts); until it is loaded, or where it cannot run,
  // WebCrypto's, whose answer waits behind whatever the page has queued.
  const signatureCheck = useRef<SignatureCheck>(undefined);
  const [checkLoaded, setCheckLoaded] = useState(false);
  useEffect(() => {
    let live = true;
    void loadSignatureCheck().then((check) => {
      if (!live) return;
      signatureCheck.current = check;
      setCheckLoaded(true);
    });
    return () => {
      live = false;
    };
  }, []);

  // The counts and the recent scans are rendered at once, then at most every restEveryMs: at a busy gate one render
  // for several scans, not one for each (each render and its frame take the page's thread and the browser's from the
  // verdicts).
  const restLater = useRef<ReturnType<typeof setTimeout>>(undefined);
  const restAt = useRef(-Infinity);
  const refreshRest = useCallback(() => {
    if (restLater.current !== undefined) return;
    const render = () => {
      restLater.current = undefined;
      restAt.current = performance.now();
      startTransition(() => setTick((n) => n + 1));
    };
    const wait = restAt.current + restEveryMs - performance.now();
    if (wait > 0) restLater.current = setTimeout(render, wait);
    else render();
  }, []);
  useEffect(() => () => clearTimeout(restLater.current), []);

  const show = useCallback(
    (code: string, checked: TicketCodeVerdict, scannedAt: string) => {
      const scanId = newFactId();
      const shown = scanner.judge({ scanId, code, checked, gate, direction, scannedAt });
      // On the screen now: the verdict alone is rendered, before anything else is done or any other work queued.
      verdicts.show(shown);
      beep(shown.tone);
      // The rest of the screen (counts, recent scans) follows at once or within restEveryMs; the scan is recorded (a
      // local write and an upload) in a task of its own, so that the frame with the verdict is not held up by it. The
      // book holds the scan already: the next scan, however soon, is judged with it.
      refreshRest();
      const record = shown.record;
      if (record)
        setTimeout(() => {
          store
            .record('TicketScanned', () => record, record.scanId)
            .catch((error: unknown) => setFailure(String(error)));
        });
    },
    [gate, direction, store, scanner, verdicts, refreshRest],
  );
  /** Scans waiting for WebCrypto or the trust's fold: a later scan waits behind them, so verdicts keep their order. */
  const behind = useRef<Promise<void>>(undefined);
  const scan = useCallback(
    (text: string) => {
      const code = text.trim();
      const scannedAt = new Date().toISOString();
      const trust = keeper.current.settled();
      const check = signatureCheck.current;
      // At once, in the key's own handler: nothing the page has queued comes before the verdict.
      if (trust && check && !behind.current) {
        try {
          show(code, verifyTicketCodeNow(code, trust, scannedAt, check), scannedAt);
        } catch (error) {
          setFailure(String(error));
        }
        return;
      }
      const waiting = (behind.current ?? Promise.resolve())
        .then(async () => {
          const held = await keeper.current.current();
          show(code, await verifyTicketCode(code, held, scannedAt), scannedAt);
        })
        .catch((error: unknown) => setFailure(String(error)))
        .finally(() => {
          if (behind.current === waiting) behind.current = undefined;
        });
      behind.current = waiting;
    },
    [show],
  );

  // Keys from the whole window: a wedge scanner types into whatever has the focus, or nothing.
  useEffect(() => {
    const reader = wedgeReader();
    const onKey = (event: KeyboardEvent) => {
      if (typingInField(event.target)) return;
      const code = reader.key(event.key, performance.now());
      if (code !== undefined) {
        event.preventDefault();
        scan(code);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [scan]);

  // The annul button's window closes by itself.
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  const last = book.own[0];
  const canAnnul =
    last !== undefined && annullable(book, last.scanId, new Date().toISOString(), annulWindowMs);
  const annul = async () => {
    if (!last) return;
    const { scanId, ticketId } = last;
    const annulledAt = new Date().toISOString();
    // The button names the scan it annuls; a later scan may be judged already and not on the screen yet: the screen
    // is brought up to date instead of recording an annulment the book and the authority would refuse.
    if (!annullable(book, scanId, annulledAt, annulWindowMs)) return setTick((n) => n + 1);
    const fact = await store.record('TicketScanAnnulled', (annulId) => ({
      annulId,
      scanId,
      ticketId,
      concertId,
      gate: last.gate,
      annulledAt,
    }));
    scanner.annul(fact.data);
    verdicts.clear();
    setTick((n) => n + 1);
  };

  const setDirection = (next: ScanDirection) => props.onBind({ ...binding, direction: next });
  const { entered, exited } = book.counts;

  return (
    <div
      className="stack scanner"
      data-testid="scanner"
      data-signers={signers}
      data-ready={signers > 0 && checkLoaded}
      data-signature-check={checkLoaded ? (signatureCheck.current ? 'at-once' : 'webcrypto') : 'loading'}
      data-tickets={scanner.held().tickets}
    >
      <div className="row spread">
        <div>
          <h2>{concert ? concertLabel(concert) : concertId}</h2>
          <p className="hint">{t('scan.boundTo', { gate })}</p>
        </div>
        <div className="row" role="group" aria-label={t('scan.mode')}>
          {(['entry', 'exit'] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              className={mode === direction ? undefined : 'secondary'}
              aria-pressed={mode === direction}
              onClick={() => setDirection(mode)}
            >
              {t(`scan.direction.${mode}`)}
            </button>
          ))}
          <button type="button" className="quiet" onClick={() => props.onBind(undefined)}>
            {t('scan.rebind')}
          </button>
        </div>
      </div>
      <dl className="scan-counts" aria-label={t('scan.counts')}>
        <div>
          <dt>{t('scan.in')}</dt>
          <dd data-testid="count-in">{entered}</dd>
        </div>
        <div>
          <dt>{t('scan.out')}</dt>
          <dd data-testid="count-out">{exited}</dd>
        </div>
        <div>
          <dt>{t('scan.inside')}</dt>
          <dd data-testid="count-inside">{entered - exited}</dd>
        </div>
      </dl>
      <p className="hint">
        {snapshot.connection.online ? t('scan.ready') : t('scan.readyOffline')}{' '}
        {t('scan.signers', { count: signers })}
      </p>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {canAnnul && last && (
        <div className="row">
          <button type="button" className="secondary" onClick={() => void annul()}>
            {t('scan.annul', { ticket: last.ticketId, time: clock(last.scannedAt) })}
          </button>
        </div>
      )}
      <Camera onCode={scan} />
      <ManualEntry onCode={scan} />
      <RecentScans book={book} />
      <VerdictLayer verdicts={verdicts} />
    </div>
  );
}

type Shown = { verdict: GateVerdict; seq: number };
type VerdictChannel = ReturnType<typeof verdictChannel>;

/**
 * The verdict on the screen, in a store of its own: showing one renders the verdict and nothing else of the screen,
 * at once (flushSync). `seq` counts the verdicts shown: each is a new one on the screen, even the same as the last.
 */
function verdictChannel() {
  let shown: Shown | undefined;
  let seq = 0;
  const listeners = new Set<() => void>();
  const set = (next: Shown | undefined) => {
    shown = next;
    for (const listener of listeners) listener();
  };
  return {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    current: () => shown,
    show: (verdict: GateVerdict) => flushSync(() => set({ verdict, seq: ++seq })),
    clear: () => set(undefined),
  };
}

function VerdictLayer(props: { verdicts: VerdictChannel }) {
  const { verdicts } = props;
  const shown = useSyncExternalStore(verdicts.subscribe, verdicts.current);
  // The verdict clears by itself; the gate is ready for the next person.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(verdicts.clear, verdictMs);
    return () => clearTimeout(timer);
  }, [shown, verdicts]);
  return shown ? <Verdict verdict={shown.verdict} seq={shown.seq} onClose={verdicts.clear} /> : null;
}

function Verdict(props: { verdict: GateVerdict; seq: number; onClose: () => void }) {
  const { verdict } = props;
  const headline =
    verdict.tone === 'amber' ? t('scan.verdict.provisionalAdmit') : t(`scan.verdict.${verdict.verdict}`);
  const detail =
    verdict.verdict === 'already_used' && verdict.firstEntry
      ? t('scan.detail.firstEntry', { gate: verdict.firstEntry.gate, time: clock(verdict.firstEntry.at) })
      : verdict.codeRefusal
        ? t(`scan.refusal.${verdict.codeRefusal}`)
        : verdict.claim
          ? t('scan.detail.ticket', { ticket: verdict.claim.ticketId, level: verdict.claim.level })
          : '';
  return (
    <div
      className={`verdict verdict-${verdict.tone}`}
      role="alert"
      data-testid="verdict"
      data-tone={verdict.tone}
      data-verdict={verdict.verdict}
      data-seq={props.seq}
      onClick={props.onClose}
    >
      <strong>{headline}</strong>
      {detail && <p>{detail}</p>}
    </div>
  );
}

function Camera(props: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<CameraScan>();
  const [problem, setProblem] = useState<string>();
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  useEffect(() => () => camera?.stop(), [camera]);
  const start = async () => {
    setProblem(undefined);
    const element = video.current;
    if (!element) return;
    if (!navigator.mediaDevices?.getUserMedia) return setProblem(t('scan.noCamera'));
    try {
      setCamera(await startCamera(element, (code) => onCode.current(code)));
    } catch {
      setProblem(t('scan.noCamera'));
    }
  };
  return (
    <section className="panel" aria-label={t('scan.camera')}>
      <div className="row">
        {camera ? (
          <button type="button" className="secondary" onClick={() => setCamera(undefined)}>
            {t('scan.cameraStop')}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => void start()}>
            {t('scan.cameraStart')}
          </button>
        )}
        {problem && (
          <span role="status" className="hint">
            {problem}
          </span>
        )}
      </div>
      <video ref={video} className="scan-video" hidden={!camera} muted playsInline />
    </section>
  );
}

/** A code typed by hand (a damaged ticket's text): the same scan as the wedge's. */
function ManualEntry(props: { onCode: (code: string) => void }) {
  const [code, setCode] = useState('');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (code.trim()) props.onCode(code.trim());
        setCode('');
      }}
    >
      <label className="field">
        <span>{t('scan.manual')}</span>
        <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit" className="secondary">
        {t('scan.check')}
      </button>
    </form>
  );
}

function RecentScans(props: { book: ScannerBook }) {
  const scans = props.book.own.slice(0, 10);
  if (scans.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="recent-scans">
      <h3 id="recent-scans">{t('scan.recent')}</h3>
      <table aria-labelledby="recent-scans">
        <thead>
          <tr>
            <th scope="col">{t('scan.time')}</th>
            <th scope="col">{t('scan.ticket')}</th>
            <th scope="col">{t('scan.shown')}</th>
            <th scope="col">{t('scan.boxOffice')}</th>
          </tr>
        </thead>
        <tbody>
          {scans.map((s) => (
            <tr key={s.scanId} data-testid="recent-scan" data-status={s.status}>
              <td>
                <time dateTime={s.scannedAt}>{clock(s.scannedAt)}</time> ·{' '}
                {t(`scan.direction.${s.direction}`)}
              </td>
              <td>{s.ticketId}</td>
              <td>{t(`scan.verdict.${s.verdict}`)}</td>
              <td>{t(`scan.status.${s.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
