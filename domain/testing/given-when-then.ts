// Given/When/Then specifications over a decider: past events fold into state, a command is decided against it.
// Test support, not domain code: it imports vitest, so only specs may import it.
import { expect } from 'vitest';
import { DomainError, fold } from '../shared/decider';

/** A decider whose history may hold more event types than it decides (a concert's history holds seat allocations). */
export type Specified<Command, Event, State, Past = Event> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Past) => State;
  initialState: () => State;
};

export function specification<Command, Event, State, Past = Event>(
  decider: Specified<Command, Event, State, Past>,
) {
  return (past: readonly Past[]) => ({
    when: (command: Command) => {
      const decide = () => decider.decide(command, fold(decider.evolve, decider.initialState(), past));
      return {
        then: (expected: readonly Event[]): Event[] => {
          const events = decide();
          expect(events).toEqual(expected);
          return events;
        },
        /** The command is refused with `code` and a sentence a person can act on. */
        thenThrows: (code: string): DomainError => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          const error = thrown as DomainError;
          expect(error.code).toBe(code);
          expect(error.message).toMatch(/^[A-Z"].*[.!?]$/s);
          return error;
        },
      };
    },
  });
}
