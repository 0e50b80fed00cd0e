// docs/events.md is the event catalogue's prose twin: it must name every live type, and its generated part
// (every type of every context) must match the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../domain/events/catalogue';
import { eventRegistry } from '../../domain/events/registry';
import { docPath, withRegistry } from '../../scripts/events-doc';

const doc = readFileSync(docPath, 'utf8');

describe('docs/events.md', () => {
  it.each(Object.keys(eventCatalogue))('documents the live type %s by hand', (type) => {
    expect(doc.split('## Every event type')[0]).toContain(`| \`${type}\` |`);
  });

  it('has its generated part up to date (run: node --import tsx scripts/events-doc.ts)', () => {
    expect(doc).toBe(withRegistry(doc));
  });

  it('lists every event type of every context once', () => {
    const types = eventRegistry.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(doc).toContain(`| \`${type}\` |`);
  });
});
