// The user directory: one aggregate (one stream) holding every staff member, so that the rules spanning users hold.
// Business rules:
// - the directory is an aggregate, not a name list passed in by the caller: "names are unique" and "there is always an
//   active admin" are then decided against one consistent state, by one writer (the authority);
// - the first user of an empty directory sets it up and must be an admin; after that only an active admin manages users
//   (the rule set in ./permissions.ts, checked with `authorize`);
// - names are unique ignoring case, Unicode composition and spaces; a deactivated user keeps their name, so the log's
//   history keeps meaning one person per name;
// - every user has exactly one role at a time: a role is a single value that a change replaces;
// - a deactivated user can't be changed, except reactivated; reactivation gives back the role they had;
// - the last active admin can be neither demoted nor deactivated (no one could manage users any more);
// - a password reaches the domain only as a verifier (PHC hash string) made by the server: a clear password is refused;
// - a command whose commandId was handled before is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { isRole, passwordVerifierPattern } from './events';
import type { UserRole, UserRuleCode, UsersEvent, UsersEventData } from './events';
import { authorize } from './permissions';
import type { Actor } from './permissions';

type Commanded = { commandId: string; actorId: string };

export type UsersCommand =
  | {
      type: 'RegisterUser';
      data: Commanded & { userId: string; name: string; role: UserRole; passwordVerifier: string };
    }
  | { type: 'ChangeUserRole'; data: Commanded & { userId: string; role: UserRole } }
  | { type: 'DeactivateUser'; data: Commanded & { userId: string; reason: string } }
  | { type: 'ReactivateUser'; data: Commanded & { userId: string } }
  | { type: 'ResetUserCredential'; data: Commanded & { userId: string; passwordVerifier: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const usersCommandTypes = [
  'RegisterUser',
  'ChangeUserRole',
  'DeactivateUser',
  'ReactivateUser',
  'ResetUserCredential',
] as const satisfies readonly UsersCommand['type'][];
export const usersCommandTypesComplete: ListsAll<UsersCommand['type'], typeof usersCommandTypes> = true;

type Person = { userId: string; name: string; role: UserRole; passwordVerifier: string };
export type User = (Person & { status: 'active' }) | (Person & { status: 'deactivated'; reason: string });

export type UsersState =
  | { status: 'empty' }
  | {
      status: 'populated';
      users: ReadonlyMap<string, User>;
      /** normalized name → userId */
      names: ReadonlyMap<string, string>;
      handled: ReadonlySet<string>;
    };
type Populated = Extract<UsersState, { status: 'populated' }>;

export const initialUsersState = (): UsersState => ({ status: 'empty' });

export class UserRuleBroken extends DomainError<UserRuleCode> {}

const broken = (code: UserRuleCode, message: string) => new UserRuleBroken(code, message);

/** The key names are unique by: "Anna", " anna " and "ＡＮＮＡ" are one name. */
export const normalizeName = (name: string): string =>
  name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

export function decideUsers(command: UsersCommand, state: UsersState): UsersEvent[] {
  if (state.status === 'populated' && state.handled.has(command.data.commandId)) return [];
  if (command.type === 'RegisterUser' && state.status === 'empty') return [setUp(command.data)];
  const by = authorize(actorIn(state, command.data.actorId), command.type).userId;
  const directory = state as Populated; // an empty directory has no actor: authorize refused already
  const { commandId, userId } = command.data;
  switch (command.type) {
    case 'RegisterUser': {
      const { name, role, passwordVerifier } = command.data;
      if (directory.users.has(userId))
        throw broken('user_exists', `A user with id ${userId} exists already.`);
      checkName(name);
      if (directory.names.has(normalizeName(name)))
        throw broken('name_taken', `The name "${name.trim()}" is taken: choose another one.`);
      checkRole(role);
      checkVerifier(passwordVerifier);
      return [
        {
          type: 'UserRegistered',
          data: { commandId, userId, name: name.trim(), role, passwordVerifier, by },
        },
      ];
    }
    case 'ChangeUserRole': {
      const user = changeable(directory, userId);
      const { role } = command.data;
      checkRole(role);
      if (user.role === role)
        throw broken('role_unchanged', `The user ${user.name} has the ${role} role already.`);
      if (user.role === 'admin') keepAnAdmin(directory, user, 'demoted');
      return [{ type: 'UserRoleChanged', data: { commandId, userId, from: user.role, to: role, by } }];
    }
    case 'DeactivateUser': {
      const user = known(directory, userId);
      if (user.status === 'deactivated')
        throw broken('already_deactivated', `The user ${user.name} is deactivated already.`);
      if (user.role === 'admin') keepAnAdmin(directory, user, 'deactivated');
      return [{ type: 'UserDeactivated', data: { commandId, userId, reason: command.data.reason, by } }];
    }
    case 'ReactivateUser': {
      const user = known(directory, userId);
      if (user.status !== 'deactivated')
        throw broken('not_deactivated', `The user ${user.name} is active already.`);
      return [{ type: 'UserReactivated', data: { commandId, userId, by } }];
    }
    case 'ResetUserCredential': {
      changeable(directory, userId);
      checkVerifier(command.data.passwordVerifier);
      const { passwordVerifier } = command.data;
      return [{ type: 'UserCredentialReset', data: { commandId, userId, passwordVerifier, by } }];
    }
    default:
      return assertNever(command);
  }
}

/** The first user of a new directory: the admin who will register everyone else. */
function setUp(data: Extract<UsersCommand, { type: 'RegisterUser' }>['data']): UsersEvent {
  const { commandId, userId, name, role, passwordVerifier } = data;
  checkName(name);
  if (role !== 'admin')
    throw broken(
      'first_user_must_be_admin',
      'The first user of a new box office must be an admin, who then registers everyone else.',
    );
  checkVerifier(passwordVerifier);
  return {
    type: 'UserRegistered',
    data: { commandId, userId, name: name.trim(), role, passwordVerifier, by: userId },
  };
}

function known(directory: Populated, userId: string): User {
  const user = directory.users.get(userId);
  if (!user) throw broken('unknown_user', 'There is no such user in this box office.');
  return user;
}

/** A user whose role or credential may change: known and active. */
function changeable(directory: Populated, userId: string): User {
  const user = known(directory, userId);
  if (user.status === 'deactivated')
    throw broken('user_deactivated', `The user ${user.name} is deactivated: reactivate them first.`);
  return user;
}

function keepAnAdmin(directory: Populated, admin: User, change: 'demoted' | 'deactivated'): void {
  for (const user of directory.users.values())
    if (user.userId !== admin.userId && user.status === 'active' && user.role === 'admin') return;
  throw broken(
    'last_admin',
    `The user ${admin.name} is the last active admin and can't be ${change}: make another user an admin first.`,
  );
}

function checkName(name: string): void {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 64)
    throw broken('invalid_name', 'Give the user a name of 1 to 64 characters.');
}

function checkRole(role: string): void {
  if (!isRole(role))
    throw broken(
      'unknown_role',
      `"${role}" is not a role: choose admin, organizer, desk, scanner or manager.`,
    );
}

function checkVerifier(verifier: string): void {
  if (verifier.length > 512 || !passwordVerifierPattern.test(verifier))
    throw broken(
      'invalid_credential',
      'Send the password as a verifier (a PHC hash string made by the server), never the password itself.',
    );
}

/** The person behind `userId`, for `authorize`: undefined if the directory doesn't know them. */
export function actorIn(state: UsersState, userId: string): Actor | undefined {
  if (state.status === 'empty') return undefined;
  const user = state.users.get(userId);
  return user && { userId: user.userId, role: user.role, active: user.status === 'active' };
}

/** The user signing in with this name (any case or spacing), for the server's credential check. */
export function userNamed(state: UsersState, name: string): User | undefined {
  if (state.status === 'empty') return undefined;
  const userId = state.names.get(normalizeName(name));
  return userId === undefined ? undefined : state.users.get(userId);
}

export function evolveUsers(state: UsersState, event: UsersEvent): UsersState {
  const directory: Populated =
    state.status === 'populated'
      ? state
      : { status: 'populated', users: new Map(), names: new Map(), handled: new Set() };
  const handled = new Set(directory.handled).add(event.data.commandId);
  switch (event.type) {
    case 'UserRegistered': {
      const { userId, name, role, passwordVerifier } = event.data;
      const user: User = { status: 'active', userId, name, role, passwordVerifier };
      return {
        status: 'populated',
        users: new Map(directory.users).set(userId, user),
        names: new Map(directory.names).set(normalizeName(name), userId),
        handled,
      };
    }
    case 'UserRoleChanged':
      return update(directory, handled, event.data, (user) => ({ ...user, role: event.data.to }));
    case 'UserDeactivated':
      return update(directory, handled, event.data, (user) => ({
        ...user,
        status: 'deactivated',
        reason: event.data.reason,
      }));
    case 'UserReactivated':
      return update(directory, handled, event.data, ({ userId, name, role, passwordVerifier }) => ({
        status: 'active',
        userId,
        name,
        role,
        passwordVerifier,
      }));
    case 'UserCredentialReset':
      return update(directory, handled, event.data, (user) => ({
        ...user,
        passwordVerifier: event.data.passwordVerifier,
      }));
    default:
      return assertNever(event);
  }
}

function update(
  directory: Populated,
  handled: ReadonlySet<string>,
  { userId }: Pick<UsersEventData<'UserRoleChanged'>, 'userId'>,
  change: (user: User) => User,
): UsersState {
  const user = directory.users.get(userId);
  if (!user) return { ...directory, handled };
  return { ...directory, users: new Map(directory.users).set(userId, change(user)), handled };
}

export const usersDecider = {
  decide: decideUsers,
  evolve: evolveUsers,
  initialState: initialUsersState,
} satisfies Decider<UsersCommand, UsersEvent, UsersState>;
