// The staff directory, decided by the sync server: the users stream lives in the server's own database
// (stagedoor-authority, which no device can read), because its events carry password verifiers. Any instance may
// serve an admin's request: it reads the stream to its head, decides with the domain's rules and appends create-only
// at the next position; a position taken by another instance means it reads again and decides again.
import type { Logger } from 'pino';
import { decisionDocId } from '../../domain/log/stream';
import { decideUsers, evolveUsers, initialUsersState } from '../../domain/users/users';
import type { UsersCommand, UsersState } from '../../domain/users/users';
import type { UsersEvent } from '../../domain/users/events';
import { authorityDb, createAll, readRange } from '../store/couch';
import type { Couch, Doc } from '../store/couch';

export const usersStream = 'users';

export type Directory = {
  /** The directory as of the last read (call `refresh` for the newest). */
  state: () => UsersState;
  refresh: () => Promise<UsersState>;
  /** Decides the command against the newest directory and appends what it decided; throws the rule broken. */
  run: (command: UsersCommand) => Promise<UsersEvent[]>;
};

export function userDirectory(options: { couch: Couch; authorityId: string; logger: Logger }): Directory {
  const db = options.couch.server.use<Doc>(authorityDb);
  let state = initialUsersState();
  let next = 0;
  let prev: string | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const catchUp = async (): Promise<void> => {
    for await (const page of readRange(db, decisionDocId(usersStream, next), `${usersStream}:\ufff0`)) {
      for (const doc of page) {
        const meta = doc.meta as { decisionId: string; prev: string | null };
        if (meta.prev !== prev) continue; // an orphan of a lost race: not part of the chain
        state = evolveUsers(state, { type: doc.type, data: doc.data } as UsersEvent);
        prev = meta.decisionId;
        next += 1;
      }
    }
  };

  const run = async (command: UsersCommand): Promise<UsersEvent[]> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      await catchUp();
      const events = decideUsers(command, state);
      if (events.length === 0) return [];
      const recordedAt = new Date().toISOString();
      const docs = events.map((event, i) => {
        const decisionId = `${usersStream}:${next + i}:${command.data.commandId}`;
        return {
          _id: decisionDocId(usersStream, next + i),
          type: event.type,
          v: 1,
          stream: usersStream,
          data: event.data,
          meta: {
            deviceId: 'sync-server',
            userId: command.data.actorId,
            recordedAt,
            correlationId: command.data.commandId,
            causationId: command.data.commandId,
            position: next + i,
            prev: i === 0 ? prev : `${usersStream}:${next + i - 1}:${command.data.commandId}`,
            decisionId,
            authorityId: options.authorityId,
          },
        };
      });
      const results = await createAll(db, docs);
      if (results.every((r) => r.ok)) {
        for (const event of events) state = evolveUsers(state, event);
        next += events.length;
        prev = docs.at(-1)?.meta.decisionId ?? prev;
        return events;
      }
      if (!results.some((r) => r.conflict))
        throw new Error(`users stream append failed: ${results[0]?.error}`);
      options.logger.info('another instance appended to the users stream first: deciding again');
    }
    throw new Error('the users stream kept changing under this request: try again');
  };

  return {
    state: () => state,
    refresh: () => serial(async () => (await catchUp(), state)),
    run: (command) => serial(() => run(command)),
  };
}
