import { setTimeout as sleep } from 'node:timers/promises';
import type { MemoryHit, MemoryPort } from '../../src/memory/index.js';
import { Actor, Histogram, type Outcome } from '../../src/runtime/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { seededRandom } from '../chat-corpus.js';
import { takeLines } from './chat-lines.js';
import { benchChatId } from './memory-edge.js';

type RecallMessage =
  { type: 'RecallAsked'; text: string } | { type: 'Recalled'; startedMs: number; outcome: Outcome<MemoryHit[]> };

interface RecallLog {
  latency: Histogram;
  completed: number;
  failed: number;
}

/** A chat actor reduced to its recall: asks memory as a side effect and times the answer's arrival in its mailbox. */
class RecallingActor extends Actor<RecallMessage, null> {
  constructor(
    private readonly chatId: number,
    private readonly memory: MemoryPort,
    private readonly log: RecallLog,
  ) {
    super();
  }

  receive(msg: RecallMessage): void {
    switch (msg.type) {
      case 'RecallAsked': {
        const startedMs = performance.now();
        const request = { chatId: this.chatId, text: msg.text, k: 10 };
        this.pipe(
          () => this.memory.recall(request),
          (outcome) => ({ type: 'Recalled', startedMs, outcome }),
        );
        return;
      }
      case 'Recalled':
        this.log.latency.recordMs(performance.now() - msg.startedMs);
        this.log.completed++;
        if (!msg.outcome.ok) this.log.failed++;
    }
  }

  snapshot(): null {
    return null;
  }
}

export interface RecallFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedPerS: number;
  recalls: number;
  failed: number;
  /** Recalls asked for in all, the warm-up's included. */
  asked: number;
}

/**
 * Recall latency from a chat actor's turn to the result message in its
 * mailbox, under an open-loop load of `ratePerS` recalls spread evenly over
 * `chats` chats (queries are generated lines the chats never saw). A warm-up
 * second at the same rate runs first and is not counted.
 */
export async function measureRecallLatency(
  memory: MemoryPort,
  chats: number,
  ratePerS: number,
  durationMs: number,
  progress: (message: string) => void,
): Promise<RecallFigures> {
  const log: RecallLog = { latency: new Histogram('bench_recall_ms', 'actor recall latency'), completed: 0, failed: 0 };
  const supervisor = new Supervisor<number, RecallMessage, null>({
    create: (chatId) => new RecallingActor(chatId, memory, log),
    idleMs: 0,
  });
  const queries = takeLines(99, 5000);
  const random = seededRandom(0x4ec4);
  let sent = 0;
  const drive = async (ms: number): Promise<number> => {
    const startedMs = performance.now();
    const sentBefore = sent;
    for (;;) {
      const elapsedMs = performance.now() - startedMs;
      if (elapsedMs >= ms) break;
      const due = sentBefore + Math.floor((elapsedMs * ratePerS) / 1000);
      while (sent < due) {
        supervisor.tell(benchChatId(Math.floor(random() * chats)), {
          type: 'RecallAsked',
          text: queries[sent % queries.length] as string,
        });
        sent++;
      }
      await sleep(1);
    }
    while (log.completed < sent) await sleep(1);
    return performance.now() - startedMs;
  };
  try {
    progress(`memory: recall warm-up at ${ratePerS}/s`);
    await drive(1000);
    const warmUp = sent;
    log.latency.reset();
    log.completed = 0;
    log.failed = 0;
    sent = 0;
    progress(`memory: recalls at ${ratePerS}/s over ${chats} chats for ${durationMs / 1000} s`);
    const elapsedMs = await drive(durationMs);
    const summary = log.latency.summary();
    return {
      p50Ms: summary.p50,
      p99Ms: summary.p99,
      maxMs: summary.max,
      achievedPerS: (log.completed / elapsedMs) * 1000,
      recalls: log.completed,
      failed: log.failed,
      asked: warmUp + sent,
    };
  } finally {
    await supervisor.shutdown();
  }
}
