import { Percentiles } from './percentiles.js';
import { PluginChats } from './plugin-chats.js';

/** A command the closed loop sends, and what it stands for in the report. */
export interface Probe {
  name: string;
  text: string;
}

export interface OverheadOptions {
  plugins: readonly unknown[];
  probes: readonly Probe[];
  chats: number;
  warmupPerProbe: number;
  measuredPerProbe: number;
  progress(message: string): void;
}

/** How long a command may go unanswered before the loop is declared stuck (a bench bug, e.g. a refused command). */
const STALL_MS = 5000;

/**
 * A closed loop, one command at a time so nothing queues: each probe in
 * turn, across `chats` group chats and their members, timed from the
 * update handed to the supervisor to the answer handed to the egress.
 * Returns each probe's latencies.
 */
export async function measureOverhead(options: OverheadOptions): Promise<Map<string, Percentiles>> {
  let waiting: { messageId: number; resolve: (atMs: number) => void; reject: (err: Error) => void } | null = null;
  const chats = await PluginChats.create(options.plugins, (_chatId, replyTo, atMs) => {
    if (waiting?.messageId === replyTo) waiting.resolve(atMs);
  });
  const chatIds = Array.from({ length: options.chats }, (_, i) => -1_000_000_000_000 - i);
  for (const chatId of chatIds) await chats.open(chatId);

  const { probes } = options;
  let asked = 0;
  const ask = (i: number): Promise<number> => {
    const probe = probes[i % probes.length]!;
    const round = Math.floor(i / probes.length);
    const chatId = chatIds[round % chatIds.length]!;
    const member = Math.floor(round / chatIds.length);
    return new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const messageId = chats.send(chatId, member, probe.text);
      waiting = { messageId, resolve: (atMs) => resolve(atMs - t0), reject };
      asked++;
    });
  };
  // One timer for the whole loop rather than one per command, which would be part of what is measured.
  let lastAsked = -1;
  const watchdog = setInterval(() => {
    if (asked === lastAsked && waiting !== null)
      waiting.reject(new Error(`no answer to message ${waiting.messageId} within ${STALL_MS} ms`));
    lastAsked = asked;
  }, STALL_MS);

  const run = async (perProbe: number, record: boolean): Promise<Map<string, number[]>> => {
    const samples = new Map(probes.map((p) => [p.name, [] as number[]]));
    const total = perProbe * probes.length;
    for (let i = 0; i < total; i++) {
      const ms = await ask(i);
      if (record) samples.get(probes[i % probes.length]!.name)!.push(ms);
      if (i % 5000 === 0) options.progress(`plugins: ${record ? 'measuring' : 'warming up'} ${i}/${total} commands`);
    }
    return samples;
  };
  try {
    await run(options.warmupPerProbe, false);
    globalThis.gc?.();
    const samples = await run(options.measuredPerProbe, true);
    return new Map([...samples].map(([name, list]) => [name, new Percentiles(list)]));
  } finally {
    clearInterval(watchdog);
    await chats.stop(1000);
  }
}
