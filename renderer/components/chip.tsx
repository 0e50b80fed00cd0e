// A state as a chip: a word, a symbol and a colour together, so colour is never the only signal.
import type { ConcertStatus, RequestStatus, SaleStatus } from '../../domain/desk/desk-view';
import { t } from '../i18n';

export type Tone = 'good' | 'waiting' | 'bad' | 'neutral';

const symbols: Record<Tone, string> = { good: '✓', waiting: '…', bad: '✕', neutral: '•' };

export function Chip(props: { tone: Tone; label: string; large?: boolean; title?: string }) {
  return (
    <span
      className={`chip chip-${props.tone}${props.large ? ' chip-large' : ''}`}
      data-tone={props.tone}
      title={props.title}
    >
      <span className="chip-symbol" aria-hidden="true">
        {symbols[props.tone]}
      </span>
      {props.label}
    </span>
  );
}

type Status = ConcertStatus | SaleStatus | RequestStatus;

const tones: Record<Status, Tone> = {
  requested: 'waiting',
  draft: 'neutral',
  published: 'good',
  cancelled: 'bad',
  rejected: 'bad',
  pending: 'waiting',
  confirmed: 'good',
  accepted: 'good',
};

export function StatusChip(props: { status: Status; large?: boolean }) {
  return <Chip tone={tones[props.status]} label={t(`status.${props.status}`)} large={props.large} />;
}
