import {
  BotAddress,
  type ChatState,
  completeReply,
  createChatState,
  DerivedCache,
  type IncomingMessage,
  type PipelineContext,
  prepareReply,
  processMessage,
  reviewReply,
  RuleBook,
  storedChatState,
  Vocabulary,
} from '../src/chat/index.js';
import { BUILTIN_PLUGINS } from '../src/plugins/index.js';
import { Codec } from '../src/runtime/index.js';
import { groupConversation, seededRandom } from './chat-corpus.js';
import { PluginChats } from './plugin-chats.js';
import type { Scenario, ScenarioResult } from './report.js';

const BOT_ID = 7_000_000_001;
const MEMBERS_PER_CHAT = 25;
const START_MS = 1_750_000_000_000;
/** Simulated time between two messages of the whole workload. */
const STEP_MS = 40;

/** A message of the workload and the index of the chat it is sent in. */
type ChatMessage = [chat: number, msg: IncomingMessage];

/**
 * Messages are made in slices of this many, outside the timed loop: the
 * full run's three million messages made up front were a gigabyte of old
 * generation no bot process holds, and every scavenge paid for it. Each
 * slice is moved to the old generation before it is timed (two minor
 * collections), as the whole workload was, so a scavenge in the loop does
 * not copy the slice's messages still waiting (a bot holds a batch of at
 * most 100 updates at a time, not a slice).
 */
const SLICE = 100_000;

interface Workload {
  states: ChatState[];
  caches: DerivedCache[];
  /** Each chat's pipeline context with its own cache, built once as the chat actor builds its own. */
  contexts: PipelineContext[];
}

/**
 * The full non-LLM chat pipeline on one core: `processMessage` for every
 * message of realistic mixed Russian/English group conversations, plus the
 * prompt build, leak guard and completion for every reply the bot decides to
 * give. Then the msgpack size of the chat states at steady state, per member.
 */
const scenario: Scenario = {
  name: 'chat',
  description: 'chat pipeline throughput (msgs/s on one core) and steady-state chat state size per member',
  async run({ quick, progress }): Promise<ScenarioResult> {
    const chats = quick ? 20 : 50;
    const warmupPerChat = quick ? 1000 : 3000;
    const measured = quick ? 100_000 : 1_000_000;
    const rounds = 3;

    progress(`generating ${chats} chats × ${MEMBERS_PER_CHAT} members`);
    const ctx: PipelineContext = {
      bot: new BotAddress({ userId: BOT_ID, username: 'lekha_bot' }),
      vocabulary: new Vocabulary(),
      rules: new RuleBook(),
      random: seededRandom(42),
    };
    const workload = buildWorkload(chats, ctx);
    const conversation = conversations(chats);
    let clock = START_MS;
    const run = (count: number): { replies: number; ms: number } => {
      let replies = 0;
      let ms = 0;
      for (let done = 0; done < count; done += SLICE) {
        const slice = conversation(Math.min(SLICE, count - done));
        globalThis.gc?.({ type: 'minor' });
        globalThis.gc?.({ type: 'minor' });
        const t0 = performance.now();
        for (const [chat, msg] of slice) {
          clock += STEP_MS;
          replies += handle(workload.states[chat]!, workload.caches[chat]!, workload.contexts[chat]!, msg, clock);
        }
        ms += performance.now() - t0;
      }
      return { replies, ms };
    };

    progress(`warming up: ${warmupPerChat} messages per chat`);
    run(warmupPerChat * chats);
    globalThis.gc?.();

    const rates: number[] = [];
    let replies = 0;
    for (let r = 0; r < rounds; r++) {
      progress(`round ${r + 1}/${rounds}: ${measured.toLocaleString('en-US')} messages`);
      const outcome = run(measured);
      rates.push((measured / outcome.ms) * 1000);
      replies += outcome.replies;
    }
    rates.sort((a, b) => a - b);

    const actorMessages = quick ? 50_000 : 200_000;
    progress(`through the chat actors: ${actorMessages.toLocaleString('en-US')} messages`);
    const actors = await throughActors(conversations(chats)(actorMessages * 2), chats);

    progress('measuring state size');
    const codec = new Codec();
    let bytes = 0;
    let members = 0;
    let largest = 0;
    for (const state of workload.states) {
      const size = codec.encode(storedChatState(state)).byteLength;
      bytes += size;
      largest = Math.max(largest, size);
      members += Object.keys(state.members).length;
    }
    const perMember = bytes / members;
    const violations = workload.states.reduce(
      (sum, s) => sum + Object.values(s.counters.violations).reduce((a, b) => a + b, 0),
      0,
    );
    return {
      results: {
        pipeline_msgs_per_s: Math.round(rates[Math.floor(rates.length / 2)]!),
        state_bytes_per_member: Math.round(perMember),
        actor_cpu_us_per_msg: Number(actors.cpuUsPerMessage.toFixed(1)),
        actor_msgs_per_s: Math.round(actors.perS),
      },
      targets: { pipeline_msgs_per_s: { '>=': 80_000 }, state_bytes_per_member: { '<=': 5 * 1024 } },
      notes: [
        `${chats} chats × ${MEMBERS_PER_CHAT} members, ${warmupPerChat} warm-up messages per chat, median of ${rounds} rounds of ${measured.toLocaleString('en-US')} messages (rounds: ${rates.map((x) => Math.round(x)).join(', ')} msgs/s)`,
        `replies decided and built (prompt + leak guard + completion): ${replies} (${((replies / (measured * rounds)) * 100).toFixed(2)}% of messages); filter violations: ${violations}`,
        `state: ${Math.round(bytes / workload.states.length)} bytes per chat on average, largest ${largest}, msgpack via the runtime codec, in the shape snapshots keep`,
        `actors: the same conversations' texts as Telegram updates into ${chats} ChatActors under the real Supervisor (bench/plugin-chats.ts: built-in plugins, no storage, model or long-term memory), ${actors.warmup.toLocaleString('en-US')} warm-up then ${actors.measured.toLocaleString('en-US')} measured, in batches of ${ACTOR_BATCH} with the mailboxes drained between: the pipeline plus what a chat actor adds (updates into messages, memory candidates, reply feedback, anomaly watch, mailbox turns); actor_cpu_us_per_msg is the process's CPU time per message, actor_msgs_per_s the wall-clock rate`,
      ],
    };
  },
};

export default scenario;

function buildWorkload(chats: number, ctx: PipelineContext): Workload {
  const states: ChatState[] = [];
  const caches: DerivedCache[] = [];
  const contexts: PipelineContext[] = [];
  for (let c = 0; c < chats; c++) {
    states.push(createChatState(-1_000_000 - c, 'supergroup', START_MS));
    const cache = new DerivedCache();
    caches.push(cache);
    contexts.push({ ...ctx, cache });
  }
  return { states, caches, contexts };
}

/** The chats' conversations interleaved at random: each call returns the next `count` messages. */
function conversations(chats: number): (count: number) => ChatMessage[] {
  const generators = Array.from({ length: chats }, (_, c) =>
    groupConversation({ chatId: c + 1, members: MEMBERS_PER_CHAT, seed: 1000 + c, startId: 1 }),
  );
  const interleave = seededRandom(7);
  return (count) => {
    const messages: ChatMessage[] = [];
    for (let i = 0; i < count; i++) {
      const chat = Math.floor(interleave() * chats);
      messages.push([chat, generators[chat]!.next().value as IncomingMessage]);
    }
    return messages;
  };
}

/** Messages handed to the actors before their mailboxes are let drain. */
const ACTOR_BATCH = 1000;

/**
 * The first half of `messages` warms the actors up, the second half is
 * measured: each message's text sent by its member into its chat's actor.
 */
async function throughActors(
  messages: ChatMessage[],
  chats: number,
): Promise<{ cpuUsPerMessage: number; perS: number; warmup: number; measured: number }> {
  const actors = await PluginChats.create(BUILTIN_PLUGINS, () => undefined);
  const chatIds = Array.from({ length: chats }, (_, c) => -2_000_000_000_000 - c);
  for (const chatId of chatIds) await actors.open(chatId);
  const send = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      const [chat, msg] = messages[i]!;
      actors.send(chatIds[chat]!, msg.from.id, msg.text);
      if ((i + 1) % ACTOR_BATCH === 0) await actors.settled();
    }
    await actors.settled();
  };
  const warmup = Math.floor(messages.length / 2);
  const measured = messages.length - warmup;
  try {
    await send(0, warmup);
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const startedMs = performance.now();
    await send(warmup, messages.length);
    const elapsedMs = performance.now() - startedMs;
    const used = process.cpuUsage(cpu);
    return {
      cpuUsPerMessage: (used.user + used.system) / measured,
      perS: (measured / elapsedMs) * 1000,
      warmup,
      measured,
    };
  } finally {
    await actors.stop(1000);
  }
}

let botMessageId = 1_000_000_000;

/** One message through the pipeline, and the non-LLM part of a reply when one is decided. Returns replies started. */
function handle(
  state: ChatState,
  cache: DerivedCache,
  ctx: PipelineContext,
  msg: IncomingMessage,
  nowMs: number,
): number {
  const result = processMessage(state, msg, nowMs, ctx);
  cache.invalidate(result.change);
  if (result.decision.kind !== 'reply') return 0;
  let replies = 0;
  let plan: { triggerId: number } | null = result.decision.plan;
  while (plan !== null) {
    replies++;
    const prompt = prepareReply(state, nowMs);
    if (prompt === null) break;
    const reviewed = reviewReply(
      state,
      'Ну вы даёте, народ. Я бы на вашем месте сначала поужинал, а потом уже спорил.',
      prompt,
    );
    plan = completeReply(
      state,
      { triggerId: plan.triggerId, sent: true, text: reviewed.text, botMessageId: botMessageId++ },
      nowMs,
      BOT_ID,
    ).followUp;
  }
  return replies;
}
