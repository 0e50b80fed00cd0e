// The decider shape every bounded context follows: decide(command, state) → events, evolve(state, event) → state.
// Time and ids are never read here: they arrive inside commands.

export type Decider<Command, Event, State> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

/** A rule was broken. `code` is for programs, `message` is a sentence a person can act on. */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** Folds events into state with the given evolve function. */
export function fold<State, Event>(
  evolve: (state: State, event: Event) => State,
  state: State,
  events: Iterable<Event>,
): State {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}
