import { describe, expect, it } from 'vitest';
import { homeScreen, mayOpen, screenNames } from './access';

const screensOf = (role: Parameters<typeof mayOpen>[0]) => screenNames.filter((s) => mayOpen(role, s));

describe('screens per role', () => {
  it('a desk sells, takes orders, keeps its drawer and its block, and sees no admin screen', () => {
    expect(screensOf('desk')).toEqual(['sell', 'orders', 'allotments', 'conflicts', 'drawer']);
    expect(homeScreen('desk')).toBe('sell');
  });

  it('a scanner scans only', () => {
    expect(screensOf('scanner')).toEqual(['scan']);
  });

  it('the admin runs concerts, people and devices, reads the money and the audit, and neither sells nor scans', () => {
    expect(screensOf('admin')).toEqual([
      'concerts',
      'allotments',
      'conflicts',
      'finance',
      'people',
      'devices',
      'audit',
    ]);
  });

  it('an organizer runs concerts; a manager reads conflicts, the money and the audit', () => {
    expect(screensOf('organizer')).toEqual(['concerts', 'allotments', 'conflicts']);
    expect(screensOf('manager')).toEqual(['conflicts', 'finance', 'audit']);
  });
});
