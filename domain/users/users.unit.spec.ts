// The user directory's rules, one specification each, and the invariants as properties: one role per user at every
// moment, unique names, and always an active admin once the directory is set up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { roles, usersEventSchemas, usersEventWriters } from './events';
import type { UserRole, UsersEvent } from './events';
import {
  actorIn,
  decideUsers,
  evolveUsers,
  initialUsersState,
  normalizeName,
  userNamed,
  usersDecider,
} from './users';
import type { UsersCommand, UsersState } from './users';

const given = specification(usersDecider);

const verifier = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const otherVerifier = '$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA';

// Commands
const register = (
  commandId: string,
  actorId: string,
  userId: string,
  name: string,
  role: UserRole,
  passwordVerifier = verifier,
): UsersCommand => ({
  type: 'RegisterUser',
  data: { commandId, actorId, userId, name, role, passwordVerifier },
});
const changeRole = (commandId: string, actorId: string, userId: string, role: UserRole): UsersCommand => ({
  type: 'ChangeUserRole',
  data: { commandId, actorId, userId, role },
});
const deactivate = (commandId: string, actorId: string, userId: string, reason = 'Left the venue.') =>
  ({ type: 'DeactivateUser', data: { commandId, actorId, userId, reason } }) satisfies UsersCommand;
const reactivate = (commandId: string, actorId: string, userId: string) =>
  ({ type: 'ReactivateUser', data: { commandId, actorId, userId } }) satisfies UsersCommand;
const resetCredential = (
  commandId: string,
  actorId: string,
  userId: string,
  passwordVerifier = otherVerifier,
) =>
  ({
    type: 'ResetUserCredential',
    data: { commandId, actorId, userId, passwordVerifier },
  }) satisfies UsersCommand;

// Events
const registered = (
  commandId: string,
  userId: string,
  name: string,
  role: UserRole,
  by: string,
): Extract<UsersEvent, { type: 'UserRegistered' }> => ({
  type: 'UserRegistered',
  data: { commandId, userId, name, role, passwordVerifier: verifier, by },
});
const roleChanged = (
  commandId: string,
  userId: string,
  from: UserRole,
  to: UserRole,
  by = 'ada',
): UsersEvent => ({
  type: 'UserRoleChanged',
  data: { commandId, userId, from, to, by },
});
const deactivated = (
  commandId: string,
  userId: string,
  by = 'ada',
  reason = 'Left the venue.',
): UsersEvent => ({
  type: 'UserDeactivated',
  data: { commandId, userId, reason, by },
});
const reactivated = (commandId: string, userId: string, by = 'ada'): UsersEvent => ({
  type: 'UserReactivated',
  data: { commandId, userId, by },
});

// A venue's directory: Ada set it up; Bea sells at a desk; Max reads the money.
const setUp = registered('c-1', 'ada', 'Ada', 'admin', 'ada');
const bea = registered('c-2', 'bea', 'Bea', 'desk', 'ada');
const max = registered('c-3', 'max', 'Max', 'manager', 'ada');
const venue = [setUp, bea, max];
const secondAdmin = registered('c-4', 'ola', 'Ola', 'admin', 'ada');

describe('setting up a new box office', () => {
  it('registers its first user as the admin, decided by themselves', () => {
    given([])
      .when(register('c-1', 'installer', 'ada', '  Ada ', 'admin'))
      .then([setUp]);
  });

  it('refuses a first user who is not an admin', () => {
    given([])
      .when(register('c-1', 'ada', 'ada', 'Ada', 'desk'))
      .thenThrows('first_user_must_be_admin');
  });

  it('applies the name and credential rules to the first user too', () => {
    given([])
      .when(register('c-1', 'ada', 'ada', '   ', 'admin'))
      .thenThrows('invalid_name');
    given([])
      .when(register('c-1', 'ada', 'ada', 'Ada', 'admin', 'hunter2'))
      .thenThrows('invalid_credential');
  });

  it('refuses anything but registration before anyone is registered: nobody may act yet', () => {
    given([])
      .when(changeRole('c-1', 'ada', 'ada', 'desk'))
      .thenThrows('unknown_actor');
    given([])
      .when(deactivate('c-1', 'ada', 'ada'))
      .thenThrows('unknown_actor');
  });
});

describe('registering a user', () => {
  it('registers a user with one role, recording the admin who did it', () => {
    given([setUp])
      .when(register('c-2', 'ada', 'bea', ' Bea ', 'desk'))
      .then([bea]);
  });

  it.each(roles)('registers a user with the %s role', (role) => {
    given([setUp])
      .when(register('c-9', 'ada', 'new', 'Newcomer', role))
      .then([registered('c-9', 'new', 'Newcomer', role, 'ada')]);
  });

  it('is a no-op when the same command arrives again', () => {
    given(venue)
      .when(register('c-2', 'ada', 'bea', 'Bea', 'desk'))
      .then([]);
    // the commandId decides, not the content: a handled id is never decided twice
    given(venue)
      .when(register('c-3', 'ada', 'zoe', 'Zoe', 'scanner'))
      .then([]);
  });

  it('refuses a name that is taken, whatever its case, spacing or Unicode composition', () => {
    given(venue)
      .when(register('c-9', 'ada', 'bea2', 'Bea', 'scanner'))
      .thenThrows('name_taken');
    given(venue)
      .when(register('c-9', 'ada', 'bea2', '  bEA ', 'scanner'))
      .thenThrows('name_taken');
    given(venue)
      .when(register('c-9', 'ada', 'bea2', 'ＢＥＡ', 'scanner'))
      .thenThrows('name_taken');
  });

  it('keeps the name of a deactivated user taken', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(register('c-10', 'ada', 'bea2', 'Bea', 'desk'))
      .thenThrows('name_taken');
  });

  it('refuses an id that is registered already', () => {
    given(venue)
      .when(register('c-9', 'ada', 'bea', 'Beatrice', 'desk'))
      .thenThrows('user_exists');
  });

  it('refuses an empty or overlong name', () => {
    given(venue)
      .when(register('c-9', 'ada', 'x', '', 'desk'))
      .thenThrows('invalid_name');
    given(venue)
      .when(register('c-9', 'ada', 'x', 'a'.repeat(65), 'desk'))
      .thenThrows('invalid_name');
  });

  it('refuses a role that does not exist (one role, from the five)', () => {
    given(venue)
      .when(register('c-9', 'ada', 'x', 'Xavier', 'fan' as UserRole))
      .thenThrows('unknown_role');
  });

  it('never takes a clear password: only a PHC verifier made by the server', () => {
    for (const clear of ['hunter2', 'correct horse battery staple', '$argon2id', '$2b$only-one-part'])
      given(venue)
        .when(register('c-9', 'ada', 'x', 'Xavier', 'desk', clear))
        .thenThrows('invalid_credential');
    given(venue)
      .when(register('c-9', 'ada', 'x', 'Xavier', 'desk', `$argon2id$v=19$${'a'.repeat(512)}`))
      .thenThrows('invalid_credential');
  });

  it('takes verifiers from argon2, scrypt and bcrypt', () => {
    const bcrypt = '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW';
    for (const passwordVerifier of [verifier, otherVerifier, bcrypt])
      given(venue)
        .when(register('c-9', 'ada', 'x', 'Xavier', 'desk', passwordVerifier))
        .then([
          {
            type: 'UserRegistered',
            data: { ...registered('c-9', 'x', 'Xavier', 'desk', 'ada').data, passwordVerifier },
          },
        ]);
  });

  it('lets only an admin register users', () => {
    given(venue)
      .when(register('c-9', 'max', 'x', 'Xavier', 'desk'))
      .thenThrows('not_permitted');
    given(venue)
      .when(register('c-9', 'bea', 'x', 'Xavier', 'desk'))
      .thenThrows('not_permitted');
  });

  it('refuses an actor the directory does not know', () => {
    given(venue)
      .when(register('c-9', 'ghost', 'x', 'Xavier', 'desk'))
      .thenThrows('unknown_actor');
  });

  it('refuses a deactivated admin', () => {
    given([...venue, secondAdmin, deactivated('c-5', 'ola')])
      .when(register('c-9', 'ola', 'x', 'Xavier', 'desk'))
      .thenThrows('actor_deactivated');
  });
});

describe('changing a role', () => {
  it('replaces the one role with another', () => {
    given(venue)
      .when(changeRole('c-9', 'ada', 'bea', 'scanner'))
      .then([roleChanged('c-9', 'bea', 'desk', 'scanner')]);
  });

  it('is a no-op when the same command arrives again', () => {
    given([...venue, roleChanged('c-9', 'bea', 'desk', 'scanner')])
      .when(changeRole('c-9', 'ada', 'bea', 'scanner'))
      .then([]);
  });

  it('refuses to "change" a role to the one the user has', () => {
    given(venue)
      .when(changeRole('c-9', 'ada', 'bea', 'desk'))
      .thenThrows('role_unchanged');
  });

  it('refuses a role that does not exist', () => {
    given(venue)
      .when(changeRole('c-9', 'ada', 'bea', 'superuser' as UserRole))
      .thenThrows('unknown_role');
  });

  it('refuses a user the directory does not know', () => {
    given(venue)
      .when(changeRole('c-9', 'ada', 'ghost', 'desk'))
      .thenThrows('unknown_user');
  });

  it('refuses to change a deactivated user', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(changeRole('c-10', 'ada', 'bea', 'scanner'))
      .thenThrows('user_deactivated');
  });

  it('never demotes the last active admin', () => {
    given(venue)
      .when(changeRole('c-9', 'ada', 'ada', 'manager'))
      .thenThrows('last_admin');
    // a deactivated admin is no help
    given([...venue, secondAdmin, deactivated('c-5', 'ola')])
      .when(changeRole('c-9', 'ada', 'ada', 'manager'))
      .thenThrows('last_admin');
  });

  it('demotes an admin while another admin is active', () => {
    given([...venue, secondAdmin])
      .when(changeRole('c-9', 'ada', 'ada', 'organizer'))
      .then([roleChanged('c-9', 'ada', 'admin', 'organizer')]);
  });

  it('lets only an admin change roles', () => {
    given(venue)
      .when(changeRole('c-9', 'bea', 'bea', 'admin'))
      .thenThrows('not_permitted');
  });

  it('takes effect at once: a promoted desk manages users, a demoted admin no longer does', () => {
    given([...venue, roleChanged('c-9', 'bea', 'desk', 'admin')])
      .when(register('c-10', 'bea', 'x', 'Xavier', 'scanner'))
      .then([registered('c-10', 'x', 'Xavier', 'scanner', 'bea')]);
    given([...venue, secondAdmin, roleChanged('c-9', 'ola', 'admin', 'desk')])
      .when(register('c-10', 'ola', 'x', 'Xavier', 'scanner'))
      .thenThrows('not_permitted');
  });
});

describe('deactivating and reactivating', () => {
  it('deactivates a user, with the reason', () => {
    given(venue)
      .when(deactivate('c-9', 'ada', 'bea', 'Left the venue.'))
      .then([deactivated('c-9', 'bea')]);
  });

  it('is a no-op when the same command arrives again', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(deactivate('c-9', 'ada', 'bea'))
      .then([]);
  });

  it('refuses to deactivate twice', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(deactivate('c-10', 'ada', 'bea'))
      .thenThrows('already_deactivated');
  });

  it('refuses a user the directory does not know', () => {
    given(venue)
      .when(deactivate('c-9', 'ada', 'ghost'))
      .thenThrows('unknown_user');
    given(venue)
      .when(reactivate('c-9', 'ada', 'ghost'))
      .thenThrows('unknown_user');
  });

  it('never deactivates the last active admin', () => {
    given(venue)
      .when(deactivate('c-9', 'ada', 'ada'))
      .thenThrows('last_admin');
  });

  it('deactivates an admin while another admin is active', () => {
    given([...venue, secondAdmin])
      .when(deactivate('c-9', 'ola', 'ada'))
      .then([deactivated('c-9', 'ada', 'ola')]);
  });

  it('lets only an admin deactivate or reactivate', () => {
    given(venue)
      .when(deactivate('c-9', 'max', 'bea'))
      .thenThrows('not_permitted');
    given([...venue, deactivated('c-9', 'bea')])
      .when(reactivate('c-10', 'max', 'bea'))
      .thenThrows('not_permitted');
  });

  it('stops a deactivated user from acting', () => {
    given([...venue, secondAdmin, deactivated('c-9', 'ola')])
      .when(deactivate('c-10', 'ola', 'bea'))
      .thenThrows('actor_deactivated');
  });

  it('reactivates a deactivated user', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(reactivate('c-10', 'ada', 'bea'))
      .then([reactivated('c-10', 'bea')]);
  });

  it('gives a reactivated user back the role they had', () => {
    const state = fold(evolveUsers, initialUsersState(), [
      ...venue,
      deactivated('c-9', 'bea'),
      reactivated('c-10', 'bea'),
    ]);
    expect(actorIn(state, 'bea')).toEqual({ userId: 'bea', role: 'desk', active: true });
    given([...venue, deactivated('c-9', 'bea'), reactivated('c-10', 'bea')])
      .when(changeRole('c-11', 'ada', 'bea', 'desk'))
      .thenThrows('role_unchanged');
  });

  it('is a no-op when the same reactivation arrives again', () => {
    given([...venue, deactivated('c-9', 'bea'), reactivated('c-10', 'bea')])
      .when(reactivate('c-10', 'ada', 'bea'))
      .then([]);
  });

  it('refuses to reactivate an active user', () => {
    given(venue)
      .when(reactivate('c-9', 'ada', 'bea'))
      .thenThrows('not_deactivated');
  });
});

describe('resetting a credential', () => {
  it('replaces the verifier, never taking a password', () => {
    given(venue)
      .when(resetCredential('c-9', 'ada', 'bea'))
      .then([
        {
          type: 'UserCredentialReset',
          data: { commandId: 'c-9', userId: 'bea', passwordVerifier: otherVerifier, by: 'ada' },
        },
      ]);
  });

  it('refuses a clear password', () => {
    given(venue)
      .when(resetCredential('c-9', 'ada', 'bea', 'hunter2'))
      .thenThrows('invalid_credential');
  });

  it('refuses a deactivated or unknown user', () => {
    given([...venue, deactivated('c-9', 'bea')])
      .when(resetCredential('c-10', 'ada', 'bea'))
      .thenThrows('user_deactivated');
    given(venue)
      .when(resetCredential('c-9', 'ada', 'ghost'))
      .thenThrows('unknown_user');
  });

  it('lets only an admin reset a credential, not even the user themselves', () => {
    given(venue)
      .when(resetCredential('c-9', 'bea', 'bea'))
      .thenThrows('not_permitted');
  });

  it('signs the user in with the new verifier', () => {
    const state = fold(evolveUsers, initialUsersState(), [
      ...venue,
      {
        type: 'UserCredentialReset',
        data: { commandId: 'c-9', userId: 'bea', passwordVerifier: otherVerifier, by: 'ada' },
      },
    ] satisfies UsersEvent[]);
    expect(userNamed(state, 'bea')?.passwordVerifier).toBe(otherVerifier);
  });
});

describe('reading the directory', () => {
  const state = fold(evolveUsers, initialUsersState(), venue);

  it('finds a user by name in any case and spacing', () => {
    expect(userNamed(state, '  BEA ')).toMatchObject({ userId: 'bea', role: 'desk', status: 'active' });
    expect(userNamed(state, 'Nobody')).toBeUndefined();
    expect(userNamed(initialUsersState(), 'Bea')).toBeUndefined();
  });

  it('knows actors by id, and no one in an empty directory', () => {
    expect(actorIn(state, 'max')).toEqual({ userId: 'max', role: 'manager', active: true });
    expect(actorIn(state, 'ghost')).toBeUndefined();
    expect(actorIn(initialUsersState(), 'ada')).toBeUndefined();
  });

  it('normalizes names for uniqueness', () => {
    expect(normalizeName('  Anna   Maria ')).toBe('anna maria');
    expect(normalizeName('ＡＮＮＡ')).toBe('anna');
  });

  it('ignores a change about a user it does not know (a stream is never partially applied)', () => {
    const next = evolveUsers(state, roleChanged('c-9', 'ghost', 'desk', 'admin'));
    expect(actorIn(next, 'ghost')).toBeUndefined();
    expect(decideUsers(changeRole('c-9', 'ada', 'bea', 'admin'), next)).toEqual([]);
  });
});

describe('a command or event it does not know', () => {
  it('is a programming error, not a rule broken', () => {
    const state = fold(evolveUsers, initialUsersState(), venue);
    const bogus = {
      type: 'RenameUser',
      data: { commandId: 'c-9', actorId: 'ada' },
    } as unknown as UsersCommand;
    // the guard refuses it first: no role may do what the rule set doesn't name
    expect(() => decideUsers(bogus, state)).toThrow('No role may do "RenameUser"');
    const odd = { type: 'UserRenamed', data: { commandId: 'c-9' } } as unknown as UsersEvent;
    expect(() => evolveUsers(state, odd)).toThrow('Unhandled case');
  });
});

describe('the events', () => {
  it('are all decided by the authority', () => {
    expect(Object.keys(usersEventWriters).sort()).toEqual(Object.keys(usersEventSchemas).sort());
    expect(new Set(Object.values(usersEventWriters))).toEqual(new Set(['authority']));
  });

  it('validate what the decider writes, and refuse a clear password', () => {
    for (const event of [
      ...venue,
      roleChanged('c-9', 'bea', 'desk', 'scanner'),
      deactivated('c-10', 'bea'),
      reactivated('c-11', 'bea'),
    ])
      expect(usersEventSchemas[event.type].safeParse(event.data).success).toBe(true);
    const clear = { ...bea.data, passwordVerifier: 'hunter2' };
    expect(usersEventSchemas.UserRegistered.safeParse(clear).success).toBe(false);
  });
});

// Properties: any sequence of commands from the venue's admins and non-admins, on the venue's users and newcomers,
// with replays (command ids repeat), taken names and clear passwords. Weighted so that most runs change roles often.
const ids = ['ada', 'bea', 'max', 'cy', 'dan'] as const;
const names = ['Ada', 'bea ', 'Max', 'Cy', 'CY', 'Dan', ' '] as const;
const commandArb: fc.Arbitrary<UsersCommand> = fc
  .record({
    kind: fc.constantFrom(
      'register',
      'register',
      'change',
      'change',
      'change',
      'deactivate',
      'reactivate',
      'reset',
    ),
    commandId: fc.nat({ max: 60 }).map((n) => `c-${n}`),
    actorId: fc.constantFrom('ada', 'ada', 'ada', ...ids),
    userId: fc.constantFrom(...ids),
    name: fc.constantFrom(...names),
    role: fc.constantFrom(...roles),
    clear: fc.nat({ max: 4 }).map((n) => n === 0),
  })
  .map(({ kind, commandId, actorId, userId, name, role, clear }): UsersCommand => {
    const credential = clear ? 'hunter2' : verifier;
    switch (kind) {
      case 'register':
        return register(commandId, actorId, userId, name, role, credential);
      case 'change':
        return changeRole(commandId, actorId, userId, role);
      case 'deactivate':
        return deactivate(commandId, actorId, userId);
      case 'reactivate':
        return reactivate(commandId, actorId, userId);
      case 'reset':
        return resetCredential(commandId, actorId, userId, credential);
    }
  });

const commandsArb = fc.array(commandArb, { maxLength: 60, size: 'max' });

/** Decides each command in turn; returns the log and every intermediate state. */
function run(commands: readonly UsersCommand[]): { log: UsersEvent[]; states: UsersState[] } {
  let state = fold(evolveUsers, initialUsersState(), venue);
  const log: UsersEvent[] = [...venue];
  const states: UsersState[] = [state];
  for (const command of commands) {
    try {
      const events = decideUsers(command, state);
      state = fold(evolveUsers, state, events);
      log.push(...events);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
    }
    states.push(state);
  }
  return { log, states };
}

const runs = { numRuns: 300 };

describe('the directory, property by property', () => {
  it('gives every user exactly one role at every moment: each change starts from the role the user has', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { log, states } = run(commands);
        const role = new Map<string, UserRole>();
        for (const event of log) {
          if (event.type === 'UserRegistered') {
            expect(role.has(event.data.userId)).toBe(false);
            role.set(event.data.userId, event.data.role);
          }
          if (event.type === 'UserRoleChanged') {
            expect(event.data.from).toBe(role.get(event.data.userId));
            expect(event.data.to).not.toBe(event.data.from);
            role.set(event.data.userId, event.data.to);
          }
        }
        const last = states.at(-1)!;
        for (const [userId, expected] of role) {
          const actor = actorIn(last, userId);
          expect(actor?.role).toBe(expected);
          expect(roles).toContain(actor?.role);
        }
      }),
      runs,
    );
  });

  it('keeps names unique and an active admin in the directory, once set up', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        for (const state of run(commands).states) {
          if (state.status === 'empty') continue;
          const users = [...state.users.values()];
          expect(new Set(users.map((u) => normalizeName(u.name))).size).toBe(users.length);
          expect(users.some((u) => u.status === 'active' && u.role === 'admin')).toBe(true);
        }
      }),
      runs,
    );
  });

  it('never lets a clear password into the log, and decides a command id at most once', () => {
    fc.assert(
      fc.property(commandsArb, (commands) => {
        const { log } = run(commands);
        for (const event of log)
          expect(usersEventSchemas[event.type].safeParse(event.data).success).toBe(true);
        const commandIds = log.map((e) => e.data.commandId);
        expect(new Set(commandIds).size).toBe(commandIds.length);
      }),
      runs,
    );
  });
});
