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
  Vocabulary,
} from '../src/chat/index.js';
import { Codec } from '../src/runtime/index.js';
import { groupConversation, seededRandom } from './chat-corpus.js';
import type { Scenario, ScenarioResult } from './report.js';

const BOT_ID = 7_000_000_001;
const MEMBERS_PER_CHAT = 25;
const START_MS = 1_750_000_000_000;
/** Simulated time between two messages of the whole workload. */
const STEP_MS = 40;

interface Workload {
  states: ChatState[];
  caches: DerivedCache[];
  /** Each chat's pipeline context with its own cache, built once as the chat actor builds its own. */
  contexts: PipelineContext[];
  messages: Array<[chat: number, msg: IncomingMessage]>;
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
    const workload = buildWorkload(chats, warmupPerChat + Math.ceil((measured * rounds) / chats) + 10, ctx);
    let clock = START_MS;
    let cursor = 0;
    const run = (count: number): { replies: number; ms: number } => {
      let replies = 0;
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        const [chat, msg] = workload.messages[cursor++]!;
        clock += STEP_MS;
        replies += handle(workload.states[chat]!, workload.caches[chat]!, workload.contexts[chat]!, msg, clock);
      }
      return { replies, ms: performance.now() - t0 };
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

    progress('measuring state size');
    const codec = new Codec();
    let bytes = 0;
    let members = 0;
    let largest = 0;
    for (const state of workload.states) {
      const size = codec.encode(state).byteLength;
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
      },
      targets: { pipeline_msgs_per_s: { '>=': 80_000 }, state_bytes_per_member: { '<=': 5 * 1024 } },
      notes: [
        `${chats} chats × ${MEMBERS_PER_CHAT} members, ${warmupPerChat} warm-up messages per chat, median of ${rounds} rounds of ${measured.toLocaleString('en-US')} messages (rounds: ${rates.map((x) => Math.round(x)).join(', ')} msgs/s)`,
        `replies decided and built (prompt + leak guard + completion): ${replies} (${((replies / (measured * rounds)) * 100).toFixed(2)}% of messages); filter violations: ${violations}`,
        `state: ${Math.round(bytes / workload.states.length)} bytes per chat on average, largest ${largest}, msgpack via the runtime codec`,
      ],
    };
  },
};

export default scenario;

function buildWorkload(chats: number, perChat: number, ctx: PipelineContext): Workload {
  const states: ChatState[] = [];
  const caches: DerivedCache[] = [];
  const contexts: PipelineContext[] = [];
  const generators = [];
  for (let c = 0; c < chats; c++) {
    states.push(createChatState(-1_000_000 - c, 'supergroup', START_MS));
    const cache = new DerivedCache();
    caches.push(cache);
    contexts.push({ ...ctx, cache });
    generators.push(groupConversation({ chatId: c + 1, members: MEMBERS_PER_CHAT, seed: 1000 + c, startId: 1 }));
  }
  const interleave = seededRandom(7);
  const messages: Workload['messages'] = [];
  for (let i = 0; i < chats * perChat; i++) {
    const chat = Math.floor(interleave() * chats);
    messages.push([chat, generators[chat]!.next().value as IncomingMessage]);
  }
  return { states, caches, contexts, messages };
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
