// The Users context: the staff directory of a venue (who works here, with which one role) as the authority decides it.
// No event carries a password: only a verifier (a PHC hash string) made outside the domain by the sync server.
import { z } from 'zod';
import type { Role } from '../events/catalogue';

/** Every staff role, one per user. The catalogue's `Role` type is checked against this list below. */
export const roles = ['admin', 'organizer', 'desk', 'scanner', 'manager'] as const;
export type UserRole = (typeof roles)[number];

// A compile-time check that the catalogue's Role and this list name the same roles: the build breaks if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const rolesMatchCatalogue: Same<Role, UserRole> = true;

export const isRole = (value: string): value is UserRole => (roles as readonly string[]).includes(value);

/**
 * A password verifier in PHC string format (`$argon2id$v=19$m=…$salt$hash`, `$scrypt$…`, bcrypt's `$2b$12$…`):
 * an id, then at least two `$`-separated parts. A clear password does not look like this, so it is refused.
 */
export const passwordVerifierPattern = /^\$[a-z0-9-]{1,32}(?:\$[A-Za-z0-9+/.=,-]+){2,}$/;
export const passwordVerifierSchema = z.string().max(512).regex(passwordVerifierPattern, 'a PHC hash string');

/** The sign-in name as typed; uniqueness ignores case, accents' composition and surrounding spaces. */
export const userNameSchema = z.string().min(1).max(64);

const command = { commandId: z.string().min(1).max(100) };
const user = { userId: z.string().min(1).max(100) };
/** The admin who decided it (the new user's own id when the first admin is set up). */
const by = { by: z.string().min(1).max(100) };
const role = z.enum(roles);

export const usersEventSchemas = {
  UserRegistered: z.object({
    ...command,
    ...user,
    name: userNameSchema,
    role,
    passwordVerifier: passwordVerifierSchema,
    ...by,
  }),
  UserRoleChanged: z.object({ ...command, ...user, from: role, to: role, ...by }),
  UserDeactivated: z.object({ ...command, ...user, reason: z.string().max(500), ...by }),
  UserReactivated: z.object({ ...command, ...user, ...by }),
  UserCredentialReset: z.object({ ...command, ...user, passwordVerifier: passwordVerifierSchema, ...by }),
} as const;

/**
 * All authority decisions: a name is unique and the last active admin can't be removed only if one writer decides,
 * so an admin's screen asks the sync server (online) and the server appends to the directory's one stream.
 */
export const usersEventWriters = {
  UserRegistered: 'authority',
  UserRoleChanged: 'authority',
  UserDeactivated: 'authority',
  UserReactivated: 'authority',
  UserCredentialReset: 'authority',
} as const satisfies Record<keyof typeof usersEventSchemas, 'device' | 'authority'>;

export const userRuleCodes = [
  'invalid_name',
  'name_taken',
  'user_exists',
  'unknown_user',
  'unknown_role',
  'invalid_credential',
  'first_user_must_be_admin',
  'role_unchanged',
  'user_deactivated',
  'already_deactivated',
  'not_deactivated',
  'last_admin',
] as const;
export type UserRuleCode = (typeof userRuleCodes)[number];

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type UsersEvent = DataOf<typeof usersEventSchemas>;
export type UsersEventType = UsersEvent['type'];
export type UsersEventData<K extends UsersEventType> = z.infer<(typeof usersEventSchemas)[K]>;
