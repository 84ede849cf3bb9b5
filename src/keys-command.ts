import { parseArgs } from 'node:util';
import type { KeyRotation, KeyUsage } from './storage/index.js';

export interface KeysCommandIo {
  rotation: KeyRotation;
  /** The results (the status table, the final report). */
  out(text: string): void;
  /** Progress and explanations for the person at the terminal. */
  err(text: string): void;
}

const usage = `Usage:
  lekha keys status     how many stored values use each encryption key, per table
  lekha keys rotate     re-encrypt every stored value with the writing key (the highest id
                        of ENCRYPTION_KEY/ENCRYPTION_KEYS), in batches, while the bot runs;
                        keys no value uses any more are then marked retired

Key id 0 is plaintext (stored before a key was configured). Rotating again
continues where a stopped rotation left off.`;

/** `lekha keys …`: shows and moves the keys of encryption at rest. Returns the process exit code. */
export async function runKeysCommand(argv: string[], io: KeysCommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    parseArgs({ args: rest, allowPositionals: false, options: {} });
  } catch (error) {
    io.err(`lekha keys: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  switch (sub) {
    case 'status':
      io.out(statusTable(await io.rotation.status()));
      return 0;
    case 'rotate': {
      let lastPlace = '';
      const report = await io.rotation.rotate((p) => {
        if (p.place !== lastPlace && lastPlace !== '') io.err('');
        lastPlace = p.place;
        io.err(`${p.place}: ${p.moved} of ${p.total} re-encrypted`);
      });
      const moved = Object.entries(report.moved)
        .map(([place, n]) => `${place} ${n}`)
        .join(', ');
      io.out(`rotated to key ${report.writeKeyId}: ${moved}`);
      if (report.left > 0) {
        io.out(
          `${report.left} values are still on another key (written meanwhile by a process with an older configuration): restart it with the new keys and run \`lekha keys rotate\` again`,
        );
        return 1;
      }
      io.out(
        report.retired.length === 0
          ? 'no key retired'
          : `retired key ${report.retired.join(', ')}: no stored value uses it; it may be removed from ENCRYPTION_KEYS`,
      );
      return 0;
    }
    default:
      io.err(sub === undefined ? usage : `lekha keys: unknown subcommand "${sub}"\n\n${usage}`);
      return 2;
  }
}

/** One line per place, one column per key id in use anywhere. */
function statusTable(usages: readonly KeyUsage[]): string {
  const ids = [...new Set(usages.flatMap((u) => [...u.byKeyId.keys()]))].sort((a, b) => a - b);
  const header = ['place', ...ids.map((id) => (id === 0 ? 'plain (0)' : `key ${id}`))];
  const lines = usages.map((u) => [u.place, ...ids.map((id) => String(u.byKeyId.get(id) ?? 0))]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const format = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}
