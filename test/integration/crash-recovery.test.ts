import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BotApiEmulator, GroqEmulator } from '../../src/sandbox/index.js';
import { emulatorEnv, waitFor } from '../support/edge-harness.js';
import { FilePersistence } from '../support/file-persistence.js';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'crash-child.ts');
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startChild(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bot process exited early (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('crash recovery', () => {
  it('loses no update and sends no duplicate reply when the bot is killed with SIGKILL under load', async () => {
    const botApi = await BotApiEmulator.start({ limits: false });
    const groq = await GroqEmulator.start({ latency: { medianMs: 15, p99Ms: 80 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'lekha-crash-'));
    cleanups.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => botApi.close(),
      () => groq.close(),
    );
    const stateFile = path.join(dir, 'chats.jsonl');
    const env = {
      ...emulatorEnv(botApi, groq),
      CRASH_STATE_FILE: stateFile,
      HTTP_PORT: '0',
      // One embedding thread and one memory shard: the child starts twice, on a machine the test shares.
      EMBED_THREADS: '1',
      MEMORY_SHARDS: '1',
    };

    const chats = Array.from({ length: 40 }, (_, i) => -(5000 + i));
    const perChat = 15;
    const lastMessage = new Map<number, number>();
    const inject = (round: number): void => {
      for (const chatId of chats) {
        const { message } = botApi.injectMessage({
          chatId,
          from: { id: 1 + (round % 5), firstName: 'Tester' },
          text: `Лёха, раунд ${round}`,
        });
        lastMessage.set(chatId, message.message_id);
      }
    };

    let child = await startChild(env);
    let round = 0;
    for (; round < 6; round++) {
      inject(round);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitFor(
      'the first rounds to be answered and confirmed',
      () => botApi.sent.length >= 20 && botApi.pendingCount === 0,
      20_000,
    );
    // The next burst is fetched, processed and made durable, but its confirmation never reaches
    // Telegram: a crash now leaves Telegram holding updates the bot has already handled.
    botApi.holdConfirmations(true);
    for (const chatId of chats) {
      const { message } = botApi.injectMessage({
        chatId,
        from: { id: 9, firstName: 'Tester' },
        text: `Лёха, раунд ${round}`,
      });
      lastMessage.set(chatId, message.message_id);
    }
    round++;
    await waitFor(
      'the burst to be answered in some chats',
      () => {
        const states = FilePersistence.read(stateFile);
        return (
          chats.filter((c) => states.get(c)?.chat.answered.includes(lastMessage.get(c) as number) === true).length >= 5
        );
      },
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGKILL');
    await exited(child);
    botApi.holdConfirmations(false);
    const sentAtCrash = botApi.sent.length;
    for (; round < perChat; round++) inject(round);

    child = await startChild(env);
    // Answered by a reply to it, or by a reply whose prompt it was in (it arrived while that reply was prepared).
    await waitFor(
      'every chat’s last message to be answered',
      () => {
        const states = FilePersistence.read(stateFile);
        return chats.every((c) => {
          const state = states.get(c);
          return (
            state !== undefined &&
            state.chat.inFlight === null &&
            state.chat.answered.includes(lastMessage.get(c) as number)
          );
        });
      },
      30_000,
    );
    await waitFor('every update to be confirmed', () => botApi.pendingCount === 0, 10_000);
    const report = new Promise<{ received: number; redelivered: number; inDoubt: number }>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const line = /stopped (\{.*\})/.exec(chunk.toString());
        if (line !== null)
          resolve(JSON.parse(line[1] as string) as { received: number; redelivered: number; inDoubt: number });
      });
    });
    child.kill('SIGTERM');
    const counts = await report;
    await exited(child);

    const states = FilePersistence.read(stateFile);
    let inDoubt = 0;
    for (const chatId of chats) {
      const state = states.get(chatId);
      // Every message recorded exactly once: none lost, none processed twice.
      expect(state?.processedMessages).toBe(perChat);
      inDoubt += state?.repliesInDoubt ?? 0;
      const targets = botApi.sentTo(chatId).map((s) => s.replyToMessageId);
      // No trigger answered twice, and replies in order.
      expect(new Set(targets).size).toBe(targets.length);
      expect(targets).toEqual([...targets].sort((a, b) => (a ?? 0) - (b ?? 0)));
    }
    expect(sentAtCrash).toBeGreaterThan(0);
    // The restarted process was handed updates the first one had already processed, and skipped them.
    expect(counts.redelivered).toBeGreaterThan(0);
    expect(counts.inDoubt).toBe(inDoubt);
    const replies = botApi.sent.filter((s) => chats.includes(s.chatId));
    const perTrigger = new Map<string, number>();
    for (const s of replies)
      perTrigger.set(
        `${s.chatId}:${s.replyToMessageId}`,
        (perTrigger.get(`${s.chatId}:${s.replyToMessageId}`) ?? 0) + 1,
      );
    const duplicates = [...perTrigger.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);
  }, 120_000);
});
