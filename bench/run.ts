// `npm run bench`: every benchmark, or the ones named on the command line.
import { benchAuthority } from './authority.bench';
import { benchDeskLatency } from './desk-latency.bench';
import { benchOrders } from './orders.bench';
import { benchReconnect } from './reconnect.bench';
import { benchReconnectStorm } from './reconnect-storm.bench';
import { benchScan } from './scan.bench';

const benchmarks: Record<string, () => Promise<unknown>> = {
  authority: benchAuthority,
  'desk-latency': benchDeskLatency,
  reconnect: benchReconnect,
  orders: benchOrders,
  'reconnect-storm': benchReconnectStorm,
  scan: benchScan,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, bench] of Object.entries(benchmarks)) {
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    process.stdout.write(`running ${name}…\n`);
    await bench();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
