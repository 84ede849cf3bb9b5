import { Worker } from 'node:worker_threads';
import type { EgressRun, EgressWorkerData, EgressWorkerEvent } from './egress-run.js';
import type { BenchContext, Scenario, ScenarioResult } from './report.js';

const QUIET_CHATS = 60;
const PER_QUIET_CHAT = 3;
const FLOOD_MESSAGES = 400;
const WORKLOAD = { quietChats: QUIET_CHATS, perQuietChat: PER_QUIET_CHAT, floodMessages: FLOOD_MESSAGES };

/** Runs one variant in its own worker thread and ends the thread when it has reported. */
async function measure(ctx: BenchContext, data: EgressWorkerData): Promise<EgressRun> {
  const worker = new Worker(new URL('./egress-run.js', import.meta.url), { workerData: data });
  try {
    return await new Promise<EgressRun>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (event: EgressWorkerEvent) => {
        if (event.type === 'progress') ctx.progress(event.message);
        else resolve(event.run);
      });
    });
  } finally {
    await worker.terminate();
  }
}

export const scenario: Scenario = {
  name: 'egress',
  description:
    'Telegram sender under a flood: our fair bounded queue vs transformer-throttler + auto-retry, through the Bot API emulator with real limits',
  async run(ctx): Promise<ScenarioResult> {
    const windowMs = ctx.quick ? 20_000 : 40_000;
    const ours = await measure(ctx, { variant: 'lekha', windowMs, ...WORKLOAD });
    const theirs = await measure(ctx, { variant: 'throttler', windowMs, ...WORKLOAD });
    const metrics = (run: EgressRun): Record<string, number> => ({
      quiet_chat_latency_p50_ms: run.quietP50Ms,
      quiet_chat_latency_p99_ms: run.quietP99Ms,
      quiet_messages_delivered: run.quietDelivered,
      flood_429_answers: run.floodAnswers,
      max_waiting_messages: run.maxQueued,
      refused_messages: run.refused,
    });
    return {
      results: metrics(ours),
      baseline: metrics(theirs),
      targets: {
        quiet_chat_latency_p99_ms: { '<=': theirs.quietP99Ms },
        flood_429_answers: { '<=': theirs.floodAnswers },
      },
      notes: [
        `${QUIET_CHATS} private chats × ${PER_QUIET_CHAT} messages and one group flooding ${FLOOD_MESSAGES}, sent at once; one injected 429 (retry_after 3 s) on a private chat; ${windowMs / 1000} s window`,
        'ours: per-chat queue bounded at 100 (the flood beyond it is refused and counted); throttler: every message waits in memory',
      ],
    };
  },
};
