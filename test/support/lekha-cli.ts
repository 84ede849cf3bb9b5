import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** A CLI process compiles the sources through tsx first: tens of seconds on a busy machine. */
export const CLI_TEST_TIMEOUT_MS = 120_000;

const run = promisify(execFile);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli.ts');

export interface CliExit {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `lekha <args>` from the sources with `env` over this process's
 * environment — minus its storage and key settings (CI exports a
 * DATABASE_URL), so each test says which database and keys the command sees.
 */
export async function lekha(env: Record<string, string>, ...args: string[]): Promise<CliExit> {
  const own = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ENCRYPTION_|DATABASE_|REDIS_|DATA_DIR$)/.test(k)),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...own, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
