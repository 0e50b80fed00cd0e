// Prometheus metrics of the authority (prom-client: the standard exposition format, plus process metrics for free).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stagedoor_' });
  const concert = ['concert'] as const;
  return {
    registry,
    factsSeen: new Counter({
      name: 'stagedoor_facts_seen_total',
      help: 'Device documents read from the changes feeds',
      labelNames: concert,
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'stagedoor_decisions_total',
      help: 'Decisions appended, by outcome',
      labelNames: ['concert', 'outcome'],
      registers: [registry],
    }),
    quarantined: new Counter({
      name: 'stagedoor_quarantined_total',
      help: 'Documents quarantined',
      labelNames: concert,
      registers: [registry],
    }),
    appendConflicts: new Counter({
      name: 'stagedoor_append_conflicts_total',
      help: 'Appends that lost a race and reloaded',
      labelNames: concert,
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'stagedoor_lag_changes',
      help: 'Changes not yet processed, per database',
      labelNames: concert,
      registers: [registry],
    }),
    streamPosition: new Gauge({
      name: 'stagedoor_stream_position',
      help: 'Next position of the decision stream',
      labelNames: concert,
      registers: [registry],
    }),
    leaseHeld: new Gauge({
      name: 'stagedoor_lease_held',
      help: '1 when this instance is the active authority',
      labelNames: concert,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
