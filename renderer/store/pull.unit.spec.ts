// Where a gate's pulls have read up to (pull.ts): kept per log and database, forgotten when the log is empty, and
// never trusted when it is not a position.
import { describe, expect, it } from 'vitest';
import { pullCheckpoints } from './pull';
import { memoryStorage } from '../../test/support/memory-storage';

describe('a gate’s pull positions', () => {
  it('keeps each database’s position as the store gave it, a number or an opaque string', () => {
    const kept = memoryStorage();
    const positions = pullCheckpoints('desk', { logEmpty: false, memo: kept });
    positions.save('catalogue', 42);
    positions.save('concert-a', '17-g1AAAAB3eJzLYWBgYMpgTmHgz8tPSTV0MDQ');
    const again = pullCheckpoints('desk', { logEmpty: false, memo: kept });
    expect(again.load('catalogue')).toBe(42);
    expect(again.load('concert-a')).toBe('17-g1AAAAB3eJzLYWBgYMpgTmHgz8tPSTV0MDQ');
    expect(again.load('concert-b')).toBeUndefined();
  });

  it('forgets this log’s positions when the log is empty (read every database anew), and no other log’s', () => {
    const entries = new Map<string, string>();
    pullCheckpoints('desk', { logEmpty: false, memo: memoryStorage(entries) }).save('concert-a', 900);
    pullCheckpoints('other', { logEmpty: false, memo: memoryStorage(entries) }).save('concert-a', 5);
    entries.set('stagedoor.journal.desk.x', '{}');
    const fresh = pullCheckpoints('desk', { logEmpty: true, memo: memoryStorage(entries) });
    expect(fresh.load('concert-a')).toBeUndefined();
    expect(
      pullCheckpoints('other', { logEmpty: false, memo: memoryStorage(entries) }).load('concert-a'),
    ).toBe(5);
    expect(entries.has('stagedoor.journal.desk.x')).toBe(true);
  });

  it('reads from the start when what is kept is not a position', () => {
    const entries = new Map([
      ['stagedoor.pull.desk.broken', '{not json'],
      ['stagedoor.pull.desk.object', '{"seq":1}'],
    ]);
    const positions = pullCheckpoints('desk', { logEmpty: false, memo: memoryStorage(entries) });
    expect(positions.load('broken')).toBeUndefined();
    expect(positions.load('object')).toBeUndefined();
  });
});
