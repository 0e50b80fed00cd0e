// The organizer's allotments, keyboard first: for one concert, every desk's block of seats as the box office decided
// it, the free seats of each level, a grant to one desk, a policy for the desks marked offline-ready, and this desk's
// "give back unsold". Each action writes a request fact; the figures change when the box office's decision arrives,
// and a refusal shows in the box office's own words.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { projectAllotments } from '../../domain/desk/allotments-view';
import type {
  AllotmentRequestStatus,
  AllotmentRequestView,
  AllotmentsView,
  BlockView,
} from '../../domain/desk/allotments-view';
import type { ConcertView } from '../../domain/desk/desk-view';
import { Chip } from '../components/chip';
import type { Tone } from '../components/chip';
import { clockTime, concertDate } from '../components/format';
import { useConcertLog } from '../components/use-concert-log';
import { authorityClock, useDesk, useDeskStore, useNow } from '../components/use-desk';
import { t } from '../i18n';
import { isoToZoned, zonedToIso } from '../lib/zoned-time';

const choiceKey = 'stagedoor.allotments.concert';

export const concertLabel = (concert: ConcertView) =>
  [concert.artist, concert.title, concert.city].filter(Boolean).join(' · ');

/** The concerts the box office knows (created): a request or a refused creation has no seats to set aside. */
export const knownConcerts = (concerts: ConcertView[]) =>
  concerts.filter((c) => c.status !== 'requested' && c.status !== 'rejected');

/** A desk as people know it: its name where this device knows it, and always its id (what the log names). */
export function DeskName(props: { deviceId: string; names: ReadonlyMap<string, string> }) {
  const name = props.names.get(props.deviceId);
  return name ? (
    <>
      {name} <span className="hint">{props.deviceId}</span>
    </>
  ) : (
    <>{props.deviceId}</>
  );
}

/** The concert a screen works on: remembered across reloads, else the first on sale, else the first known. */
export function useConcertChoice(key: string, concerts: ConcertView[]) {
  const [chosen, setChosen] = useState(() => localStorage.getItem(key) ?? '');
  const concert =
    concerts.find((c) => c.concertId === chosen) ??
    concerts.find((c) => c.status === 'published') ??
    concerts[0];
  const choose = (concertId: string) => {
    localStorage.setItem(key, concertId);
    setChosen(concertId);
  };
  return [concert, choose] as const;
}

export function ConcertPicker(props: {
  id: string;
  concerts: ConcertView[];
  concert: ConcertView | undefined;
  onChoose: (concertId: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{t('allotments.concert')}</label>
      <select
        id={props.id}
        value={props.concert?.concertId ?? ''}
        onChange={(e) => props.onChoose(e.target.value)}
      >
        {!props.concert && (
          <option value="" disabled>
            {t('allotments.chooseConcert')}
          </option>
        )}
        {props.concerts.map((c) => (
          <option key={c.concertId} value={c.concertId}>
            {c.status === 'published' ? concertLabel(c) : `${concertLabel(c)} (${t(`status.${c.status}`)})`}
          </option>
        ))}
      </select>
    </div>
  );
}

const failureText = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

export function AllotmentsScreen() {
  const store = useDeskStore();
  const { view } = useDesk();
  const { deviceId, name } = store.device;
  const concerts = knownConcerts(view.concerts);
  const [concert, choose] = useConcertChoice(choiceKey, concerts);
  const concertId = concert?.concertId;
  const allotments = useConcertLog(
    (docs) => (concertId ? projectAllotments(docs, concertId, deviceId) : undefined),
    [concertId, deviceId],
  );
  const names = new Map([[deviceId, name]]);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();

  /** Records a request; says it was sent, or why it could not be. */
  const send = async (record: () => Promise<unknown>, sent: string) => {
    setNotice(undefined);
    setError(undefined);
    try {
      await record();
      setNotice(sent);
      return true;
    } catch (failure) {
      setError(failureText(failure));
      return false;
    }
  };

  return (
    <div className="stack">
      <h2>{t('allotments.title')}</h2>
      <p className="hint">{t('allotments.intro')}</p>
      <p className="hint" data-testid="own-device" data-device-id={deviceId}>
        {t('allotments.thisDevice', { name, id: deviceId })}
      </p>
      {concerts.length === 0 ? (
        <p className="hint">{t('allotments.noConcerts')}</p>
      ) : (
        <div className="row">
          <ConcertPicker
            id="allotments-concert"
            concerts={concerts}
            concert={concert}
            onChoose={(id) => {
              choose(id);
              setNotice(undefined);
              setError(undefined);
            }}
          />
        </div>
      )}
      {concert && allotments && (
        <>
          {!allotments.onSale && (
            <p className="error">
              {t('allotments.notOnSale', {
                concert: concertLabel(concert),
                status: t(`status.${concert.status}`),
              })}
            </p>
          )}
          {allotments.lapsesAt && (
            <p className="hint">
              {t('allotments.lapseTime', { time: concertDate(allotments.lapsesAt, concert.timezone) })}
            </p>
          )}
          <Levels allotments={allotments} />
          <Blocks
            allotments={allotments}
            concert={concert}
            names={names}
            onGiveBack={(block) =>
              send(
                () =>
                  store.record('AllotmentReturnRequested', (returnId) => ({
                    returnId,
                    concertId: concert.concertId,
                    deviceId,
                    level: block.level,
                    quantity: block.returnable,
                  })),
                t('allotments.giveBackSent', { count: block.returnable, level: block.level }),
              )
            }
          />
          {notice && (
            <p role="status" className="notice">
              {notice}
            </p>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <div className="grid-2">
            <GrantForm
              key={`grant-${concert.concertId}`}
              allotments={allotments}
              names={names}
              onGrant={(grant) =>
                send(
                  () =>
                    store.record('AllotmentGrantRequested', (allotmentId) => ({
                      allotmentId,
                      concertId: concert.concertId,
                      ...grant,
                    })),
                  t('allotments.sent'),
                )
              }
            />
            <PolicyForm
              key={`policy-${concert.concertId}`}
              allotments={allotments}
              concert={concert}
              names={names}
              onSet={(policy) =>
                send(
                  () =>
                    store.record('AllotmentPolicySet', (policyId) => ({
                      policyId,
                      concertId: concert.concertId,
                      ...policy,
                    })),
                  t('allotments.sent'),
                )
              }
            />
          </div>
          <Requests requests={allotments.requests} names={names} />
        </>
      )}
    </div>
  );
}

function Levels(props: { allotments: AllotmentsView }) {
  return (
    <section className="panel" aria-labelledby="allotment-levels">
      <h3 id="allotment-levels">{t('allotments.levelsTitle')}</h3>
      <table aria-labelledby="allotment-levels">
        <thead>
          <tr>
            <th scope="col">{t('allotments.level')}</th>
            <th scope="col">{t('allotments.capacity')}</th>
            <th scope="col">{t('allotments.allocated')}</th>
            <th scope="col">{t('allotments.outstanding')}</th>
            <th scope="col">{t('allotments.free')}</th>
          </tr>
        </thead>
        <tbody>
          {props.allotments.levels.map((level) => (
            <tr key={level.name} data-testid="allotment-level" data-level={level.name} data-free={level.free}>
              <th scope="row">{level.name}</th>
              <td>{level.capacity}</td>
              <td>{level.allocated}</td>
              <td>{level.outstanding}</td>
              <td className="figure">{level.free}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Blocks(props: {
  allotments: AllotmentsView;
  concert: ConcertView;
  names: ReadonlyMap<string, string>;
  onGiveBack: (block: BlockView) => Promise<boolean>;
}) {
  const [busy, setBusy] = useState(false);
  const { blocks } = props.allotments;
  const giveBack = async (block: BlockView) => {
    setBusy(true);
    try {
      await props.onGiveBack(block);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="allotment-blocks">
      <h3 id="allotment-blocks">{t('allotments.blocksTitle')}</h3>
      {blocks.length === 0 ? (
        <p className="hint">{t('allotments.noBlocks')}</p>
      ) : (
        <table aria-labelledby="allotment-blocks">
          <thead>
            <tr>
              <th scope="col">{t('allotments.desk')}</th>
              <th scope="col">{t('allotments.level')}</th>
              <th scope="col">{t('allotments.granted')}</th>
              <th scope="col">{t('allotments.sold')}</th>
              <th scope="col">{t('allotments.returned')}</th>
              <th scope="col">{t('allotments.lapsed')}</th>
              <th scope="col">{t('allotments.remaining')}</th>
              <th scope="col">{t('allotments.lapsesAt')}</th>
              <th scope="col">{t('allotments.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {blocks.map((block) => (
              <tr
                key={`${block.deviceId}\u0000${block.level}`}
                data-testid="allotment-block"
                data-device-id={block.deviceId}
                data-level={block.level}
                data-granted={block.granted}
                data-sold={block.sold}
                data-returned={block.returned}
                data-lapsed={block.lapsed}
                data-remaining={block.remaining}
              >
                <th scope="row">
                  <DeskName deviceId={block.deviceId} names={props.names} />
                  {block.own && <Chip tone="neutral" label={t('allotments.thisDesk')} />}
                </th>
                <td>{block.level}</td>
                <td>{block.granted}</td>
                <td>{block.sold}</td>
                <td>{block.returned}</td>
                <td>{block.lapsed}</td>
                <td className="figure">{block.remaining}</td>
                <td>{concertDate(block.lapsesAt, props.concert.timezone)}</td>
                <td>
                  {block.own && block.returnable > 0 && (
                    <button type="button" disabled={busy} onClick={() => void giveBack(block)}>
                      {t('allotments.giveBack', { count: block.returnable, level: block.level })}
                    </button>
                  )}
                  {block.own && block.returnable === 0 && block.remaining > 0 && (
                    <span className="hint">{t('allotments.nothingToGiveBack')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

type Grant = { deviceId: string; level: string; quantity: number };

const wholeNumber = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);
const deviceIdOk = (id: string) => id.length >= 1 && id.length <= 100;

function ErrorSummary(props: { errors: string[] }) {
  if (props.errors.length === 0) return null;
  return (
    <div role="alert" className="error-summary">
      <p>{t('allotments.formErrors')}</p>
      <ul>
        {props.errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}

function GrantForm(props: {
  allotments: AllotmentsView;
  names: ReadonlyMap<string, string>;
  onGrant: (grant: Grant) => Promise<boolean>;
}) {
  const id = useId();
  const { levels, desks } = props.allotments;
  // This device is offered first: an organizer most often readies the desk in front of them.
  const [desk, setDesk] = useState(desks[0] ?? '');
  const [levelName, setLevelName] = useState('');
  const [seats, setSeats] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const level = levels.find((l) => l.name === levelName) ?? levels[0];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const deviceId = desk.trim();
    const quantity = wholeNumber(seats);
    const problems = [
      ...(deviceIdOk(deviceId) ? [] : [t('allotments.badDesk')]),
      ...(level ? [] : [t('allotments.chooseLevel')]),
      ...(quantity >= 1 && quantity <= 1000 ? [] : [t('allotments.badSeats')]),
    ];
    setErrors(problems);
    if (problems.length > 0 || !level) return;
    setBusy(true);
    try {
      if (await props.onGrant({ deviceId, level: level.name, quantity })) setSeats('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('allotments.grantTitle')}</h3>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <ErrorSummary errors={errors} />
        <div className="field">
          <label htmlFor={`${id}-desk`}>{t('allotments.deskId')}</label>
          <input
            id={`${id}-desk`}
            list={`${id}-desks`}
            value={desk}
            onChange={(e) => setDesk(e.target.value)}
            aria-describedby={`${id}-desk-hint`}
            autoComplete="off"
            spellCheck={false}
          />
          <small id={`${id}-desk-hint`} className="hint">
            {t('allotments.deskHint')}
          </small>
          <datalist id={`${id}-desks`}>
            {desks.map((deviceId) => (
              <option key={deviceId} value={deviceId}>
                {props.names.get(deviceId) ?? deviceId}
              </option>
            ))}
          </datalist>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor={`${id}-level`}>{t('allotments.level')}</label>
            <select
              id={`${id}-level`}
              value={level?.name ?? ''}
              onChange={(e) => setLevelName(e.target.value)}
            >
              {levels.map((l) => (
                <option key={l.name} value={l.name}>
                  {t('allotments.levelOption', { name: l.name, free: l.free })}
                </option>
              ))}
            </select>
          </div>
          <label className="field">
            <span>{t('allotments.seats')}</span>
            <input inputMode="numeric" value={seats} onChange={(e) => setSeats(e.target.value)} />
          </label>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('allotments.grant')}
          </button>
        </div>
      </form>
    </section>
  );
}

type Policy = { perLevel: Record<string, number>; deviceIds: string[]; lapsesAt?: string };

function PolicyForm(props: {
  allotments: AllotmentsView;
  concert: ConcertView;
  names: ReadonlyMap<string, string>;
  onSet: (policy: Policy) => Promise<boolean>;
}) {
  const id = useId();
  const { levels, desks, lapsesAt } = props.allotments;
  const [perLevel, setPerLevel] = useState<Record<string, string>>({});
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [others, setOthers] = useState('');
  const [lapse, setLapse] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const toggle = (deviceId: string) => {
    const next = new Set(marked);
    if (!next.delete(deviceId)) next.add(deviceId);
    setMarked(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: string[] = [];
    const seats: Record<string, number> = {};
    for (const level of levels) {
      const text = perLevel[level.name]?.trim() ?? '';
      const count = text === '' ? 0 : wholeNumber(text);
      if (count >= 0 && count <= 1000) seats[level.name] = count;
      else problems.push(t('allotments.badPerLevel', { level: level.name }));
    }
    const typed = others.split(/[\s,]+/).filter(Boolean);
    const deviceIds = [...new Set([...desks.filter((d) => marked.has(d)), ...typed])];
    if (deviceIds.length === 0) problems.push(t('allotments.noDesks'));
    if (deviceIds.length > 100) problems.push(t('allotments.tooManyDesks'));
    const badIds = typed.filter((d) => !deviceIdOk(d));
    if (badIds.length > 0) problems.push(t('allotments.badDeskIds', { ids: badIds.join(', ') }));
    const lapseIso = lapse.trim() === '' ? undefined : zonedToIso(lapse.trim(), props.concert.timezone);
    if (lapse.trim() !== '' && !lapseIso) problems.push(t('allotments.badLapse'));
    if (Object.values(seats).every((n) => n === 0) && !lapseIso) problems.push(t('allotments.emptyPolicy'));
    setErrors(problems);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      const policy = { perLevel: seats, deviceIds, ...(lapseIso ? { lapsesAt: lapseIso } : {}) };
      if (await props.onSet(policy)) {
        // Sent: a second Enter must not send the same policy again.
        setPerLevel({});
        setMarked(new Set());
        setOthers('');
        setLapse('');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('allotments.policyTitle')}</h3>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <p className="hint">{t('allotments.policyIntro')}</p>
        <ErrorSummary errors={errors} />
        <div className="row">
          {levels.map((level) => (
            <label className="field" key={level.name}>
              <span>{t('allotments.perLevel', { level: level.name })}</span>
              <input
                inputMode="numeric"
                placeholder="0"
                value={perLevel[level.name] ?? ''}
                onChange={(e) => setPerLevel({ ...perLevel, [level.name]: e.target.value })}
              />
            </label>
          ))}
        </div>
        <fieldset className="levels">
          <legend>{t('allotments.policyDesks')}</legend>
          {desks.map((deviceId) => (
            <label key={deviceId} className="row">
              <input type="checkbox" checked={marked.has(deviceId)} onChange={() => toggle(deviceId)} />
              <span>
                <DeskName deviceId={deviceId} names={props.names} />
              </span>
            </label>
          ))}
          <label className="field">
            <span>{t('allotments.otherDesks')}</span>
            <input
              value={others}
              onChange={(e) => setOthers(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-lapse`}>{t('allotments.policyLapse')}</label>
          <input
            id={`${id}-lapse`}
            type="datetime-local"
            step={1}
            value={lapse}
            onChange={(e) => setLapse(e.target.value)}
            aria-describedby={`${id}-lapse-hint`}
          />
          <small id={`${id}-lapse-hint`} className="hint">
            {lapsesAt
              ? t('allotments.policyLapseHint', {
                  time: concertDate(lapsesAt, props.concert.timezone),
                  timezone: props.concert.timezone,
                })
              : t('allotments.policyLapseVenue', { timezone: props.concert.timezone })}
          </small>
          <BoxOfficeClock timeZone={props.concert.timezone} />
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {t('allotments.setPolicy')}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * The box office's clock as this desk last heard it (its newest decision, plus the time since on a monotonic clock),
 * in venue time to the second: a lapse is measured on that clock, and this desk's own may be a day off.
 */
function BoxOfficeClock(props: { timeZone: string }) {
  const store = useDeskStore();
  useNow(1000);
  const clock = authorityClock(store);
  if (!clock) return <small className="hint">{t('allotments.boxOfficeClockUnknown')}</small>;
  const now = new Date(Date.parse(clock.lastAuthorityTime) + clock.monotonicElapsedMs).toISOString();
  const venue = isoToZoned(now, props.timeZone, true);
  return (
    <small className="hint" data-testid="box-office-clock" data-time={now}>
      {t('allotments.boxOfficeClock', { time: venue.replace('T', ' ') })}
    </small>
  );
}

const requestTones: Record<AllotmentRequestStatus, Tone> = {
  pending: 'waiting',
  done: 'good',
  refused: 'bad',
};

function Requests(props: { requests: AllotmentRequestView[]; names: ReadonlyMap<string, string> }) {
  return (
    <section className="panel" aria-labelledby="allotment-requests">
      <h3 id="allotment-requests">{t('allotments.requestsTitle')}</h3>
      {props.requests.length === 0 ? (
        <p className="hint">{t('allotments.noRequests')}</p>
      ) : (
        <table aria-labelledby="allotment-requests">
          <thead>
            <tr>
              <th scope="col">{t('allotments.asked')}</th>
              <th scope="col">{t('allotments.request')}</th>
              <th scope="col">{t('allotments.desk')}</th>
              <th scope="col">{t('allotments.level')}</th>
              <th scope="col">{t('allotments.seats')}</th>
              <th scope="col">{t('allotments.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {props.requests.map((request) => (
              <tr
                key={request.requestId}
                data-testid="allotment-request"
                data-request-id={request.requestId}
                data-type={request.type}
                data-status={request.status}
              >
                <td>
                  {clockTime(request.recordedAt)}
                  <div className="hint">
                    <DeskName deviceId={request.writtenBy} names={props.names} />
                  </div>
                </td>
                <th scope="row">{t(`request.${request.type}`)}</th>
                <td>
                  {request.deviceId ? <DeskName deviceId={request.deviceId} names={props.names} /> : '—'}
                </td>
                <td>{request.level ?? '—'}</td>
                <td>
                  {request.quantity === 'unsold' ? t('allotments.allUnsold') : (request.quantity ?? '—')}
                </td>
                <td>
                  <Chip
                    tone={requestTones[request.status]}
                    label={
                      request.status === 'done' && request.decidedSeats !== null
                        ? t(`allotments.answered.${request.type}`, { count: request.decidedSeats })
                        : t(`allotments.status.${request.status}`)
                    }
                  />
                  {request.message && (
                    <div className={request.status === 'refused' ? 'error' : 'hint'}>{request.message}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
