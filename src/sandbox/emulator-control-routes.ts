import type { FastifyPluginAsync } from 'fastify';
import { parseFaultRequest, type ScriptedFault } from './emulator-fault.js';

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

/** How many sent messages `GET /_emulator/sent` lists without a chat_id. */
const RECENT_SENT = 200;

/**
 * The emulator's control endpoints, for manual use (`lekha emulator`) and
 * the sandbox: inject a user message, read what the bot sent, inject a
 * fault, read the counters.
 */
export function emulatorControlRoutes(control: EmulatorControl): FastifyPluginAsync {
  return async (app) => {
    app.post('/_emulator/messages', async (request, reply) => {
      const body = (request.body ?? {}) as { chat_id?: unknown; text?: unknown; from_id?: unknown; first_name?: unknown; chat_type?: unknown; title?: unknown };
      if (typeof body.chat_id !== 'number' || typeof body.text !== 'string' || body.text.length === 0) {
        return reply.code(400).send({ ok: false, description: 'expected {"chat_id": number, "text": string, "from_id"?: number, "first_name"?: string}' });
      }
      const fromId = typeof body.from_id === 'number' ? body.from_id : body.chat_id > 0 ? body.chat_id : 1000;
      const injected = control.injectMessage({
        chatId: body.chat_id,
        text: body.text,
        from: { id: fromId, firstName: typeof body.first_name === 'string' ? body.first_name : `user${fromId}` },
        ...(body.chat_type === 'group' || body.chat_type === 'supergroup' || body.chat_type === 'private' ? { chatType: body.chat_type } : {}),
        ...(typeof body.title === 'string' ? { title: body.title } : {}),
      });
      return { ok: true, result: { update_id: injected.updateId, message_id: injected.message.message_id } };
    });
    app.get('/_emulator/sent', async (request) => {
      const chatId = Number((request.query as { chat_id?: string }).chat_id);
      return { ok: true, result: Number.isFinite(chatId) ? control.sentTo(chatId) : control.sent.slice(-RECENT_SENT) };
    });
    app.post('/_emulator/faults', async (request, reply) => {
      const fault = parseFaultRequest(request.body, 'method');
      if (fault === null) return reply.code(400).send({ ok: false, description: 'expected {"kind": "429"|"5xx"|"timeout"|"reset", "count"?: n, "method"?: name, "retry_after"?: s}' });
      control.injectFault(fault);
      return { ok: true };
    });
    app.get('/_emulator/stats', async () => ({ ok: true, result: control.stats() }));
  };
}
