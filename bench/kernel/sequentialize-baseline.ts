import { setImmediate as nextTurn } from 'node:timers/promises';
import { createConcurrentSink, createRunner, createSource, sequentialize, type UpdateSupplier } from '@grammyjs/runner';
import { Bot, type BotError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { UpdateHandler } from './update-actor.js';
import type { UpdateFeed } from './update-feed.js';

/** The most updates one `getUpdates` call returns (the runner clamps its `limit` to 1…100). */
const fetchLimit = 100;

const botInfo: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: 'Лёха',
  username: 'lekha_bench_bot',
  can_join_groups: true,
  can_read_all_group_messages: true,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/**
 * Runs `feed` through the standard grammY scaling setup: a `Bot` with
 * `bot.use(sequentialize(ctx => chat id))` and then `handle` as middleware,
 * driven by `@grammyjs/runner` exactly as `run(bot)` wires it — `createSource`
 * over an update supplier, `createConcurrentSink` (default concurrency 500)
 * consuming with `bot.handleUpdate`, `createRunner` pulling from one into the
 * other. The only difference from `run(bot)` is the supplier: instead of
 * calling `getUpdates` over HTTP it reads the feed (await an arrival, take up
 * to the runner's requested batch size, at most 100), just as the Lekha
 * ingress does. Resolves when every update was handled.
 */
export async function runSequentialize(feed: UpdateFeed, handle: UpdateHandler): Promise<void> {
  const bot = new Bot('1:bench-token-that-never-reaches-telegram', { botInfo });
  let handled = 0;
  const errors: BotError[] = [];
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  bot.use((ctx) => {
    handle(ctx.update, 0);
    handled++;
  });

  let fed!: () => void;
  const allFed = new Promise<void>((resolve) => (fed = resolve));
  const supplier: UpdateSupplier<Update> = {
    supply: async (batchSize, signal) => {
      if (feed.exhausted) return idleUntilAborted(signal);
      await feed.arrival();
      const batch = feed.take(Math.max(1, Math.min(batchSize, fetchLimit)));
      if (feed.exhausted) fed();
      return batch;
    },
  };
  const sink = createConcurrentSink<Update, BotError>(
    { consume: (update) => bot.handleUpdate(update) },
    async (error) => {
      errors.push(error);
    },
  );
  const runner = createRunner(createSource(supplier), sink);

  await bot.init();
  feed.start();
  runner.start();
  await allFed;
  while (handled + errors.length < feed.length) await nextTurn();
  await runner.stop();
  if (errors.length > 0) throw new Error(`baseline handler failed for ${errors.length} updates`, { cause: errors[0] });
}

/**
 * The `sequentialize` middleware on its own: called directly for each update
 * with the update as a bare context, without a Bot, Context, Api or runner,
 * read from the feed the same way. Not the baseline — no bot runs like this —
 * but it shows how much of the baseline's cost is the ordering itself.
 */
export async function runSequentializeAlone(feed: UpdateFeed, handle: UpdateHandler): Promise<void> {
  const middleware = sequentialize<Update>((update) => update.message?.chat.id.toString());
  let handled = 0;
  const errors: unknown[] = [];
  const failed = (error: unknown): void => void errors.push(error);
  feed.start();
  while (!feed.exhausted) {
    await feed.arrival();
    for (const update of feed.take(fetchLimit)) {
      middleware(update, () => {
        handle(update, 0);
        handled++;
      }).catch(failed);
    }
  }
  while (handled + errors.length < feed.length) await nextTurn();
  if (errors.length > 0) throw new Error(`handler failed for ${errors.length} updates`, { cause: errors[0] });
}

/**
 * A long poll on an empty queue: no updates until the runner stops. (The
 * runner's signal comes from the `abort-controller` polyfill, not Node's own.)
 */
function idleUntilAborted(signal: Parameters<UpdateSupplier<Update>['supply']>[1]): Promise<Update[]> {
  return new Promise((_, reject) => {
    const stopped = (): void => reject(new Error('runner stopped'));
    if (signal.aborted) stopped();
    else signal.addEventListener('abort', stopped, { once: true });
  });
}
