import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { groupConversation, seededRandom } from '../../bench/chat-corpus.js';
import {
  BotAddress,
  type ChatState,
  completeReply,
  createChatState,
  type IncomingMessage,
  type PipelineContext,
  prepareReply,
  processMessage,
  reviewReply,
  RuleBook,
  storedChatState,
  Vocabulary,
} from '../../src/chat/index.js';
import { Codec } from '../../src/runtime/index.js';

const BOT = 7_000_000_001;
const START = 1_750_000_000_000;
const CHATS = 4;
const MESSAGES = 24_000;

/**
 * The bench's workload (bench/chat.ts: its corpus, members, clock step and
 * replies, including a model reply the leak guard rewrites) reduced to one
 * digest of every decision, prompt, guard verdict and final state. The
 * pipeline's hot paths are rewritten for speed from time to time; the digest
 * was taken from the plain implementations, so any change of output shows.
 */
function digestOfCorpus(): string {
  const hash = createHash('sha256');
  const codec = new Codec();
  const ctx: PipelineContext = {
    bot: new BotAddress({ userId: BOT, username: 'lekha_bot' }),
    vocabulary: new Vocabulary(),
    rules: new RuleBook(),
    random: seededRandom(42),
  };
  const states: ChatState[] = [];
  const conversations: Array<Generator<IncomingMessage>> = [];
  for (let c = 0; c < CHATS; c++) {
    states.push(createChatState(-1_000_000 - c, 'supergroup', START));
    conversations.push(groupConversation({ chatId: c + 1, members: 25, seed: 1000 + c, startId: 1 }));
  }
  const interleave = seededRandom(7);
  let clock = START;
  let botMessageId = 1_000_000_000;
  for (let i = 0; i < MESSAGES; i++) {
    const c = Math.floor(interleave() * CHATS);
    const state = states[c]!;
    const msg = conversations[c]!.next().value as IncomingMessage;
    clock += 40;
    const result = processMessage(state, msg, clock, ctx);
    hash.update(JSON.stringify([result.decision, result.events, result.violations, result.redactedText]));
    let plan = result.decision.kind === 'reply' ? result.decision.plan : null;
    while (plan !== null) {
      const prompt = prepareReply(state, clock);
      if (prompt === null) break;
      const modelText =
        i % 3 === 0 ? 'As an AI language model I cannot. Но вообще, народ, ужинать пора!' : 'Ну вы даёте.';
      const reviewed = reviewReply(state, modelText, prompt);
      hash.update(JSON.stringify([prompt, reviewed]));
      plan = completeReply(
        state,
        { triggerId: plan.triggerId, sent: true, text: reviewed.text, botMessageId: botMessageId++ },
        clock,
        BOT,
      ).followUp;
    }
  }
  // As snapshots keep it: members' words as `[count, surface form]` per stem.
  for (const state of states) hash.update(codec.encode(storedChatState(state)));
  return hash.digest('hex');
}

describe('the chat pipeline over the bench corpus', () => {
  it('gives the same decisions, prompts, guard verdicts and states as the plain implementation', () => {
    expect(digestOfCorpus()).toBe('24f1c1c9197f8d53c8c340c76d728802a03fe1db4558df4a9337eb9ee411d7ef');
  });
});
