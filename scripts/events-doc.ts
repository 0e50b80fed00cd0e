// Renders the generated part of docs/events.md from the event registry: `node --import tsx scripts/events-doc.ts`
// rewrites it; the docs test fails when the page and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { eventRegistry } from '../domain/events/registry';

export const docPath = join(import.meta.dirname, '../docs/events.md');
const begin = '<!-- generated from domain/events/registry.ts: do not edit by hand -->';
const end = '<!-- end of generated part -->';

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
};

/** The fields of a schema, one level of nesting shown: `lines[]{concertId, level}`, optional ones marked `?`. */
function fields(schema: JsonSchema, depth = 0): string {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map((v) => fields(v, depth)).join(' \\| ');
  if (schema.type === 'array' && schema.items) return `[]${fields(schema.items, depth)}`;
  if (!schema.properties) return '';
  const required = new Set(schema.required ?? []);
  const names = Object.entries(schema.properties).map(([name, sub]) => {
    const inner = depth < 1 ? fields(sub, depth + 1) : '';
    return `${name}${required.has(name) ? '' : '?'}${inner}`;
  });
  return depth === 0 ? names.join(', ') : `{${names.join(', ')}}`;
}

export function renderRegistry(): string {
  const lines = [begin, '', '## Every event type, by bounded context', ''];
  lines.push(
    'Writer: `device` = a fact written at a device, never rejected or edited; `authority` = decided by the sync server.',
    'Live: flows through the log today and is validated at its edges by the catalogue; the others are modelled and',
    'tested in `domain/` and go live with the issue that wires them.',
    '',
  );
  for (const context of [...new Set(eventRegistry.map((e) => e.context))]) {
    lines.push(`### ${context}`, '', '| type | v | writer | live | data |', '|---|---|---|---|---|');
    for (const event of eventRegistry.filter((e) => e.context === context)) {
      const schema = z.toJSONSchema(event.schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
      lines.push(
        `| \`${event.type}\` | ${event.v} | ${event.writer} | ${event.live ? 'yes' : 'no'} | ${fields(schema)} |`,
      );
    }
    lines.push('');
  }
  lines.push(end);
  return lines.join('\n');
}

/** The page with its generated part replaced (or appended). */
export function withRegistry(page: string): string {
  const start = page.indexOf(begin);
  const stop = page.indexOf(end);
  const head = start >= 0 ? page.slice(0, start) : `${page.trimEnd()}\n\n`;
  const tail = stop >= 0 ? page.slice(stop + end.length) : '\n';
  return `${head}${renderRegistry()}${tail}`;
}

if (process.argv[1]?.endsWith('events-doc.ts')) {
  writeFileSync(docPath, withRegistry(readFileSync(docPath, 'utf8')));
  process.stdout.write(`wrote ${docPath}\n`);
}
