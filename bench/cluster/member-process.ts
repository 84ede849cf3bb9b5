/*
 * One `lekha start` as a real process, for the multi-process tests and the
 * cluster bench: spawned from the built CLI, its output captured, its admin
 * URL learnt from its log, and the signals an operator (or a crash) sends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Settings of the test runner's own environment that must never leak into a member. */
const LEKHA_SETTING =
  /^(TELEGRAM_|GROQ_|WEBHOOK_|DATABASE_|REDIS_|DATA_DIR$|HTTP_|ADMIN_TOKEN$|ENCRYPTION_KEYS?$|EMBED|MODEL_|MEMORY_|LOG_LEVEL$|CLUSTER_|PARTITIONS$)/;

/** The environment without any Lekha setting of the caller's own. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !LEKHA_SETTING.test(key)));
}

export interface MemberExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ: 100 on every Linux Node supports). */
const CLOCK_TICKS = 100;

/** How long a graceful stop may take (the default shutdown deadline is well within it). */
export const STOP_WITHIN_MS = 30_000;

/** How long a member may take from spawn to its admin API listening, on a loaded 2-core machine. */
export const LISTEN_WITHIN_MS = 60_000;

/** Polls `condition` every `everyMs` until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A running (or exited) `lekha start`. */
export class MemberProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<MemberExit>;
  private out = '';
  private err = '';
  private adminUrl: string | null = null;
  private done: MemberExit | null = null;
  /** CPU seconds measured just before the process exited (its `/proc` entry goes with it). */
  private lastCpu = 0;

  private constructor(
    readonly id: string,
    readonly pid: number,
    child: ChildProcess,
    private readonly adminToken: string,
  ) {
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.take((this.out += chunk.toString())));
    child.stderr?.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.done = { code, signal };
        resolve(this.done);
      }),
    );
  }

  /**
   * Spawns `node <cli> start` with `env` over a clean environment
   * (`HTTP_PORT=0`, `LOG_LEVEL=info` unless given) and resolves once its
   * admin API listens; a process that exits first or never listens is
   * killed and reported with its output.
   */
  static async start(options: {
    id: string;
    cli: string;
    cwd: string;
    env: Record<string, string>;
    adminToken: string;
  }): Promise<MemberProcess> {
    const child = spawn(process.execPath, [options.cli, 'start'], {
      cwd: options.cwd,
      env: {
        ...cleanEnv(),
        EMBED_THREADS: '1',
        MEMORY_SHARDS: '1',
        LOG_LEVEL: 'info',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        ADMIN_TOKEN: options.adminToken,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error(`member ${options.id} could not be spawned`);
    const member = new MemberProcess(options.id, child.pid, child, options.adminToken);
    try {
      await waitFor(
        `member ${options.id} to listen`,
        () => {
          if (member.done !== null) {
            throw new Error(
              `member ${options.id} exited (${JSON.stringify(member.done)}) before listening:\n${member.output()}`,
            );
          }
          return member.adminUrl !== null;
        },
        LISTEN_WITHIN_MS,
      );
    } catch (error) {
      member.kill9();
      throw error;
    }
    return member;
  }

  /** The admin API's base URL (from the `admin dashboard and API listening` log line). */
  get url(): string {
    if (this.adminUrl === null) throw new Error(`member ${this.id} has not said where it listens`);
    return this.adminUrl;
  }

  get running(): boolean {
    return this.done === null;
  }

  get exit(): MemberExit | null {
    return this.done;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Both streams, for failure messages (the last 8 kB of each). */
  output(): string {
    return `--- ${this.id} stdout\n${this.out.slice(-8000)}\n--- ${this.id} stderr\n${this.err.slice(-8000)}`;
  }

  /** The JSON log lines written so far, parsed (other lines skipped). */
  logs(): Array<Record<string, unknown>> {
    const lines: Array<Record<string, unknown>> = [];
    for (const line of this.out.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A line cut at the end of the buffer: complete on a later read.
      }
    }
    return lines;
  }

  /** A crash: SIGKILL, no chance to flush or release anything. Resolves once it is gone. */
  async kill9(): Promise<MemberExit> {
    if (this.done === null) {
      this.sampleCpu();
      this.child.kill('SIGKILL');
    }
    return this.exited;
  }

  /** A stall: SIGSTOP freezes it (timers, sockets, lease renewals) until {@link resume}. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  /**
   * A graceful stop (SIGTERM) as a process supervisor sends it; resolves
   * with the exit. One still running after `withinMs` is killed and the stop
   * rejected: a process that says it stopped and lingers blocks a rolling
   * deploy just the same.
   */
  async terminate(withinMs = STOP_WITHIN_MS): Promise<MemberExit> {
    if (this.done === null) {
      this.sampleCpu();
      this.child.kill('SIGTERM');
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome !== 'late') return outcome;
    await this.kill9();
    throw new Error(`member ${this.id} did not exit within ${withinMs} ms of SIGTERM:\n${this.output()}`);
  }

  /** `GET path` on the admin API with the admin token: status and parsed JSON (or text) body. */
  async get(path: string, timeoutMs = 5000): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      headers: { authorization: `Bearer ${this.adminToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (the metrics text): kept as text.
    }
    return { status: response.status, body };
  }

  /** The Prometheus text of `/metrics`. */
  async metrics(): Promise<string> {
    const { status, body } = await this.get('/metrics');
    if (status !== 200 || typeof body !== 'string') throw new Error(`member ${this.id}: /metrics answered ${status}`);
    return body;
  }

  /** User plus system CPU seconds the process has used (the last reading once it has exited). */
  cpuSeconds(): number {
    if (this.done === null) this.sampleCpu();
    return this.lastCpu;
  }

  private sampleCpu(): void {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      this.lastCpu = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      // Gone already (or no /proc): the last reading stands.
    }
  }

  private take(stdout: string): void {
    if (this.adminUrl !== null) return;
    const at = stdout.indexOf('admin dashboard and API listening');
    if (at < 0) return;
    const start = stdout.lastIndexOf('\n', at) + 1;
    const end = stdout.indexOf('\n', at);
    if (end < 0) return; // the rest of the line is still on its way
    const line = JSON.parse(stdout.slice(start, end)) as { url?: string };
    if (typeof line.url === 'string') this.adminUrl = line.url.replace(/\/$/, '');
  }
}

/** Every sample of a metric in Prometheus text, as `{labels, value}` (labels as written, `""` when none). */
export function metricSamples(text: string, name: string): Array<{ labels: string; value: number }> {
  const samples: Array<{ labels: string; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    const match = /^(\{[^}]*\})?\s+(\S+)/.exec(rest);
    if (match === null) continue;
    samples.push({ labels: match[1] ?? '', value: Number(match[2]) });
  }
  return samples;
}

/** The sum of every sample of a counter or gauge (0 when absent). */
export function metricSum(text: string, name: string): number {
  return metricSamples(text, name).reduce((sum, s) => sum + s.value, 0);
}

/** The sum of every sample of every metric whose name matches `pattern` (comment lines skipped). */
export function metricSumMatching(text: string, pattern: RegExp): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match !== null && pattern.test(match[1] as string)) sum += Number(match[3]);
  }
  return sum;
}
