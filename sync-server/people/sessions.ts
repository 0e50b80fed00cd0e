// Sign-in on the server: a name and a password become a session token (random, 256 bits) that the device sends as
// `Authorization: Bearer …`. The store keeps only the token's SHA-256 (stagedoor-authority, which no device reads),
// so every instance knows every session and a restart signs nobody out. A session ends at its expiry, when the person
// signs out, and as soon as they are deactivated. Repeated failures for one name lock it for a while.
import { createHash } from 'node:crypto';
import type { UserRole } from '../../domain/users/events';
import { normalizeName, userNamed } from '../../domain/users/users';
import { authorityDb, createAll, getDoc, statusOf } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import type { Directory } from './directory';
import { hashPassword, newSecret, verifyPassword } from './passwords';

export type Session = { userId: string; name: string; role: UserRole; expiresAt: string };
type SessionDoc = Doc & { userId: string; expiresAt: string; createdAt: string };

export const sessionHours = 12;
/** After this many failed sign-ins for one name, the name is locked for lockMinutes. */
export const maxFailures = 5;
export const lockMinutes = 15;

export class SignInRefused extends Error {
  constructor(
    readonly code: 'wrong_credentials' | 'locked' | 'deactivated',
    message: string,
  ) {
    super(message);
  }
}

const sessionId = (token: string) => `session:${createHash('sha256').update(token).digest('hex')}`;

export function sessions(options: { couch: Couch; directory: Directory; now?: () => Date }) {
  const db = options.couch.server.use<Doc>(authorityDb);
  const now = options.now ?? (() => new Date());
  const failures = new Map<string, { count: number; lockedUntil: number }>();
  let dummy: Promise<string> | undefined;

  return {
    async signIn(name: string, password: string): Promise<Session & { token: string }> {
      const key = normalizeName(name);
      const failed = failures.get(key);
      if (failed && failed.lockedUntil > now().getTime())
        throw new SignInRefused(
          'locked',
          `Too many failed sign-ins for this name: try again in ${lockMinutes} minutes.`,
        );
      const user = userNamed(await options.directory.refresh(), name);
      // An unknown name costs the same hash as a known one: the time taken does not say which names exist.
      dummy ??= hashPassword(newSecret());
      const ok = await verifyPassword(password, user?.passwordVerifier ?? (await dummy));
      if (!user || !ok) {
        const count = (failed?.count ?? 0) + 1;
        failures.set(key, {
          count: count >= maxFailures ? 0 : count,
          lockedUntil: count >= maxFailures ? now().getTime() + lockMinutes * 60_000 : 0,
        });
        throw new SignInRefused('wrong_credentials', 'The name or the password is wrong.');
      }
      if (user.status !== 'active')
        throw new SignInRefused('deactivated', 'This account is deactivated: ask an admin.');
      failures.delete(key);
      const token = newSecret();
      const expiresAt = new Date(now().getTime() + sessionHours * 3_600_000).toISOString();
      await createAll(db, [
        { _id: sessionId(token), userId: user.userId, expiresAt, createdAt: now().toISOString() },
      ]);
      return { token, userId: user.userId, name: user.name, role: user.role, expiresAt };
    },

    /** The session behind a token, if it is live and its person is active; undefined otherwise. */
    async check(token: string): Promise<Session | undefined> {
      const doc = await getDoc<SessionDoc>(db, sessionId(token));
      if (!doc || doc.expiresAt <= now().toISOString()) return undefined;
      const state = await options.directory.refresh();
      if (state.status !== 'populated') return undefined;
      const user = state.users.get(doc.userId);
      if (!user || user.status !== 'active') return undefined;
      return { userId: user.userId, name: user.name, role: user.role, expiresAt: doc.expiresAt };
    },

    async signOut(token: string): Promise<void> {
      const doc = await getDoc<SessionDoc>(db, sessionId(token));
      if (!doc?._rev) return;
      await db.destroy(doc._id, doc._rev).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
    },
  };
}
export type Sessions = ReturnType<typeof sessions>;
