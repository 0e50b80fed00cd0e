// The finance charts, where a manager would rather look than read: revenue by day, revenue by payment method, and
// seats sold against capacity and scanned per concert. Chart.js on a canvas (react-chartjs-2), each chart labelled for
// a screen reader with what it shows; the tables beside them hold the same figures to read and export.
import {
  ArcElement,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { Bar, Doughnut } from 'react-chartjs-2';
import type { Figure, Occupancy } from '../../domain/desk/finance-view';
import { formatAmount } from '../../domain/finance/amount';
import { t } from '../i18n';

// Only the parts these charts use: Chart.js is tree-shaken to them.
ChartJS.register(ArcElement, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const palette = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
const major = (minor: number) => minor / 100;
const common = { responsive: true, maintainAspectRatio: false, animation: false } as const;

/** One series per currency: amounts of two currencies never share a bar. */
function byCurrency(figures: readonly Figure[]) {
  const keys = [...new Set(figures.map((f) => f.key))];
  const currencies = [...new Set(figures.map((f) => f.currency))].sort();
  const datasets = currencies.map((currency, i) => ({
    label: currency,
    data: keys.map((key) => major(figures.find((f) => f.key === key && f.currency === currency)?.net ?? 0)),
    backgroundColor: palette[i % palette.length],
  }));
  return { keys, datasets };
}

const summary = (figures: readonly Figure[], label: (key: string) => string) =>
  figures.map((f) => `${label(f.key)}: ${formatAmount(f.net, f.currency)}`).join('; ');

export function RevenueByDayChart({ figures }: { figures: readonly Figure[] }) {
  const { keys, datasets } = byCurrency(figures);
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <figcaption>
        <strong>{t('finance.chart.byDay')}</strong>
      </figcaption>
      <div style={{ height: 200 }}>
        <Bar
          role="img"
          aria-label={`${t('finance.chart.byDay')}: ${summary(figures, (k) => k) || t('finance.noData')}`}
          data={{ labels: keys, datasets }}
          options={{ ...common, scales: { y: { beginAtZero: true } } }}
        />
      </div>
    </figure>
  );
}

export function RevenueByMethodChart({ figures }: { figures: readonly Figure[] }) {
  const label = (figure: Figure) => `${t(`finance.method.${methodKey(figure.key)}`)} (${figure.currency})`;
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <figcaption>
        <strong>{t('finance.chart.byMethod')}</strong>
      </figcaption>
      <div style={{ height: 200 }}>
        <Doughnut
          role="img"
          aria-label={`${t('finance.chart.byMethod')}: ${summary(figures, (k) => t(`finance.method.${methodKey(k)}`)) || t('finance.noData')}`}
          data={{
            labels: figures.map(label),
            datasets: [
              {
                data: figures.map((f) => major(Math.max(0, f.net))),
                backgroundColor: figures.map((_, i) => palette[i % palette.length] ?? '#888'),
              },
            ],
          }}
          options={{ ...common, plugins: { legend: { position: 'right' } } }}
        />
      </div>
    </figure>
  );
}

export function SeatsChart({ occupancy }: { occupancy: readonly Occupancy[] }) {
  const text = occupancy
    .map((o) =>
      t('finance.chart.seatsOf', { concert: o.name, sold: o.sold, capacity: o.capacity, scanned: o.scanned }),
    )
    .join('; ');
  return (
    <figure className="panel" style={{ margin: 0 }}>
      <figcaption>
        <strong>{t('finance.chart.seats')}</strong>
      </figcaption>
      <div style={{ height: 200 }}>
        <Bar
          role="img"
          aria-label={`${t('finance.chart.seats')}: ${text || t('finance.noData')}`}
          data={{
            labels: occupancy.map((o) => o.name),
            datasets: [
              {
                label: t('finance.col.capacity'),
                data: occupancy.map((o) => o.capacity),
                backgroundColor: '#cbd5e1',
              },
              {
                label: t('finance.col.sold'),
                data: occupancy.map((o) => o.sold),
                backgroundColor: palette[0],
              },
              {
                label: t('finance.col.scanned'),
                data: occupancy.map((o) => o.scanned),
                backgroundColor: palette[1],
              },
            ],
          }}
          options={{ ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }}
        />
      </div>
    </figure>
  );
}

/** The method's key for its label; a method this software does not know yet reads as 'other'. */
export function methodKey(method: string): 'cash' | 'card' | 'other' {
  return method === 'cash' || method === 'card' ? method : 'other';
}
