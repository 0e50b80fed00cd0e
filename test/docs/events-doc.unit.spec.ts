// docs/events.md is the catalogue's prose twin: it must name every event type the code knows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../domain/events/catalogue';

describe('docs/events.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/events.md'), 'utf8');
  it.each(Object.keys(eventCatalogue))('documents %s', (type) => {
    expect(doc).toContain(`| \`${type}\` |`);
  });
});
