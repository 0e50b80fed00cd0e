// Where a device's facts go: a concert is asked for in the catalogue (its database does not exist yet); every other
// fact about a concert goes to that concert's database, where its authority decides it.
import { concertDatabase } from '../authority/concert-authority';
import type { FactDoc } from '../events/catalogue';

export const catalogueDatabase = 'stagedoor-catalogue';

export function factDatabase(fact: Pick<FactDoc, 'type' | 'data'>): string {
  return fact.type === 'ConcertCreationRequested' ? catalogueDatabase : concertDatabase(fact.data.concertId);
}
