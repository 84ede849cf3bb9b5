import { z } from 'zod';

/** The example formats an export writes: OpenAI's chat fine-tuning JSONL, or ShareGPT conversations. */
export const FINETUNE_FORMATS = ['openai', 'sharegpt'] as const;
export type FinetuneFormat = (typeof FINETUNE_FORMATS)[number];

/** One message of a training conversation, in chat-completions roles. */
export interface TrainingMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const content = z.string().min(1, 'content must not be empty');
const openaiMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content }).strict();
const assistantMessage = z.object({ role: z.literal('assistant'), content }).strict();

/**
 * A conversation fit for training: one system message first, at least one
 * member message, the reply to learn last.
 */
function checkConversation(
  roles: readonly string[],
  ctx: z.RefinementCtx,
  [system, user, bot]: readonly [string, string, string],
): void {
  if (roles[0] !== system) ctx.addIssue({ code: 'custom', message: `the first message is the ${system} message` });
  if (roles.lastIndexOf(system) !== 0) ctx.addIssue({ code: 'custom', message: `only the first message is ${system}` });
  if (!roles.includes(user)) ctx.addIssue({ code: 'custom', message: `at least one ${user} message` });
  if (roles.at(-1) !== bot) ctx.addIssue({ code: 'custom', message: `the last message is the ${bot} reply` });
}

/** A line of OpenAI's chat-completions fine-tuning file: `{"messages":[…]}`. */
export const openaiExampleSchema = z
  .object({ messages: z.array(openaiMessage).min(3) })
  .strict()
  .superRefine((line, ctx) =>
    checkConversation(
      line.messages.map((m) => m.role),
      ctx,
      ['system', 'user', 'assistant'],
    ),
  );

/** A line of a ShareGPT file: `{"conversations":[{"from":"system"|"human"|"gpt","value":…}]}`. */
export const sharegptExampleSchema = z
  .object({
    conversations: z.array(z.object({ from: z.enum(['system', 'human', 'gpt']), value: content }).strict()).min(3),
  })
  .strict()
  .superRefine((line, ctx) =>
    checkConversation(
      line.conversations.map((m) => m.from),
      ctx,
      ['system', 'human', 'gpt'],
    ),
  );

/**
 * A line of the preferences file, in OpenAI's preference fine-tuning (DPO)
 * shape whatever the conversation format: the conversation up to the
 * trigger, then the reply members received better and the one they received
 * worse.
 */
export const preferenceExampleSchema = z
  .object({
    input: z
      .object({ messages: z.array(openaiMessage).min(2) })
      .strict()
      .superRefine((input, ctx) => {
        const roles = input.messages.map((m) => m.role);
        if (roles[0] !== 'system') ctx.addIssue({ code: 'custom', message: 'the first message is the system message' });
        if (roles.lastIndexOf('system') !== 0)
          ctx.addIssue({ code: 'custom', message: 'only the first message is system' });
        if (roles.at(-1) !== 'user')
          ctx.addIssue({ code: 'custom', message: 'the input ends with the member message' });
      }),
    preferred_output: z.array(assistantMessage).length(1),
    non_preferred_output: z.array(assistantMessage).length(1),
  })
  .strict()
  .refine((line) => line.preferred_output[0]?.content !== line.non_preferred_output[0]?.content, {
    message: 'the preferred and the non-preferred reply differ',
  });

export type OpenaiExample = z.infer<typeof openaiExampleSchema>;
export type SharegptExample = z.infer<typeof sharegptExampleSchema>;
export type PreferenceExample = z.infer<typeof preferenceExampleSchema>;

const SHAREGPT_FROM = { system: 'system', user: 'human', assistant: 'gpt' } as const;

/** One conversation as a line of `format`, checked against its schema (a bad line is a bug, never written). */
export function conversationLine(format: FinetuneFormat, messages: readonly TrainingMessage[]): string {
  const line =
    format === 'openai'
      ? openaiExampleSchema.parse({ messages })
      : sharegptExampleSchema.parse({
          conversations: messages.map((m) => ({ from: SHAREGPT_FROM[m.role], value: m.content })),
        });
  return JSON.stringify(line);
}

/** One preference pair as a line of the preferences file, checked against its schema. */
export function preferenceLine(input: readonly TrainingMessage[], preferred: string, nonPreferred: string): string {
  return JSON.stringify(
    preferenceExampleSchema.parse({
      input: { messages: input },
      preferred_output: [{ role: 'assistant', content: preferred }],
      non_preferred_output: [{ role: 'assistant', content: nonPreferred }],
    }),
  );
}
