// The first admin. An empty directory is set up at the first start with one admin named `admin`: its password is
// ADMIN_PASSWORD when set (tests, scripted installs), otherwise a generated one written to a file only the server's
// user may read (<data>/admin-password.txt); the log says where, never what. The admin changes it after signing in.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ulid } from 'ulid';
import type { Directory } from './directory';
import { hashPassword, newSecret } from './passwords';

export const firstAdminName = 'admin';

export async function ensureFirstAdmin(options: {
  directory: Directory;
  dataDir: string;
  password?: string | undefined;
  logger: Logger;
}): Promise<void> {
  const { directory, dataDir, logger } = options;
  if ((await directory.refresh()).status !== 'empty') return;
  const file = join(dataDir, 'admin-password.txt');
  let password = options.password;
  if (!password) {
    if (existsSync(file)) password = readFileSync(file, 'utf8').trim();
    else {
      mkdirSync(dataDir, { recursive: true });
      password = newSecret().slice(0, 20);
      writeFileSync(file, `${password}\n`, { mode: 0o600 });
    }
  }
  const userId = `user-${ulid().toLowerCase()}`;
  await directory.run({
    type: 'RegisterUser',
    data: {
      commandId: `first-admin`,
      actorId: userId,
      userId,
      name: firstAdminName,
      role: 'admin',
      passwordVerifier: await hashPassword(password),
    },
  });
  logger.info(
    options.password ? { name: firstAdminName } : { name: firstAdminName, passwordFile: file },
    options.password
      ? 'first admin set up with ADMIN_PASSWORD'
      : 'first admin set up: its password is in the file',
  );
}
