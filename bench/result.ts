// Benchmark results: printed, and written as JSON to bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(result);
  writeFileSync(join(dir, `${name}.json`), `${json}\n`);
  process.stdout.write(`${name}: ${json}\n`);
}
