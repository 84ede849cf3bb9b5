import type { FastifyError, FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ScriptedFault } from './emulator-fault.js';

/** What the control routes drive: the Bot API emulator's own methods. */
export interface EmulatorControl {
  injectMessage(input: {
    chatId: number;
    chatType?: 'private' | 'group' | 'supergroup';
    title?: string;
    from: { id: number; firstName: string };
    text: string;
  }): { updateId: number; message: { message_id: number } };
  sentTo(chatId: number): unknown[];
  readonly sent: readonly unknown[];
  injectFault(fault: ScriptedFault): void;
  stats(): unknown;
}

/** `POST /_emulator/messages`: a user message, as Telegram would carry it (text up to 4096 characters). */
const injectMessageBody = z.object({
  chat_id: z.number().int(),
  text: z.string().min(1).max(4096),
  from_id: z.number().int().positive().optional(),
  first_name: z.string().min(1).max(64).optional(),
  chat_type: z.enum(['private', 'group', 'supergroup']).optional(),
  title: z.string().min(1).max(128).optional(),
});

/** `GET /_emulator/sent[?chat_id=N]`. */
const sentQuery = z.object({
  chat_id: z
    .string()
    .regex(/^-?\d{1,16}$/, 'expected an integer')
    .transform(Number)
    .optional(),
});

/** `POST /_emulator/faults`: the next `count` calls (of `method`, or any) get the fault. */
const faultBody = z.object({
  kind: z.enum(['429', '5xx', 'timeout', 'reset']),
  count: z.number().int().positive().optional(),
  method: z.string().min(1).optional(),
  retry_after: z.number().int().positive().optional(),
});

/** How many sent messages `GET /_emulator/sent` lists without a chat_id. */
const RECENT_SENT = 200;

/**
 * The emulator's control endpoints, for manual use (`lekha emulator`) and
 * the sandbox: inject a user message, read what the bot sent, inject a
 * fault, read the counters. Bodies and queries are checked against schemas;
 * bad input (malformed JSON included) is answered 400 with a description
 * naming the field, in the Bot API's error shape.
 */
export function emulatorControlRoutes(control: EmulatorControl): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler((error: FastifyError, _request, reply) => {
      const status =
        error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      return badRequest(
        reply,
        status,
        status === 500 ? 'Internal Server Error' : `Bad Request: body: ${error.message}`,
      );
    });

    app.post('/_emulator/messages', async (request, reply) => {
      const parsed = injectMessageBody.safeParse(request.body ?? {});
      if (!parsed.success) return badRequest(reply, 400, describe(parsed.error));
      const body = parsed.data;
      const fromId = body.from_id ?? (body.chat_id > 0 ? body.chat_id : 1000);
      const injected = control.injectMessage({
        chatId: body.chat_id,
        text: body.text,
        from: { id: fromId, firstName: body.first_name ?? `user${fromId}` },
        ...(body.chat_type === undefined ? {} : { chatType: body.chat_type }),
        ...(body.title === undefined ? {} : { title: body.title }),
      });
      return { ok: true, result: { update_id: injected.updateId, message_id: injected.message.message_id } };
    });

    app.get('/_emulator/sent', async (request, reply) => {
      const parsed = sentQuery.safeParse(request.query ?? {});
      if (!parsed.success) return badRequest(reply, 400, describe(parsed.error));
      const chatId = parsed.data.chat_id;
      return { ok: true, result: chatId === undefined ? control.sent.slice(-RECENT_SENT) : control.sentTo(chatId) };
    });

    app.post('/_emulator/faults', async (request, reply) => {
      const parsed = faultBody.safeParse(request.body ?? {});
      if (!parsed.success) return badRequest(reply, 400, describe(parsed.error));
      const { kind, count, method, retry_after: retryAfterS } = parsed.data;
      control.injectFault({
        kind,
        ...(count === undefined ? {} : { count }),
        ...(method === undefined ? {} : { target: method }),
        ...(retryAfterS === undefined ? {} : { retryAfterS }),
      });
      return { ok: true };
    });

    app.get('/_emulator/stats', async () => ({ ok: true, result: control.stats() }));
  };
}

function describe(error: z.ZodError): string {
  return `Bad Request: ${error.issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ')}`;
}

function badRequest(reply: FastifyReply, status: number, description: string): FastifyReply {
  return reply.code(status).send({ ok: false, error_code: status, description });
}
