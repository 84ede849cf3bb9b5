import type { MemoryPort, RememberRequest } from '../memory/index.js';
import type { ChatTurn } from './chat-turn.js';

/** Writes to one chat's long-term memory as side effects; their outcomes come back as `MemoryDone`. */
export class ChatMemoryWriter {
  constructor(
    private readonly chatId: number,
    private readonly memory: MemoryPort,
    private readonly turn: ChatTurn,
  ) {}

  remember(request: Omit<RememberRequest, 'chatId'>): void {
    const { memory, chatId } = this;
    this.turn.pipe(
      () => memory.remember({ chatId, ...request }),
      (outcome) => ({ type: 'MemoryDone', op: 'remember', outcome }),
    );
  }

  feedback(messageId: number, delta: number): void {
    if (delta === 0) return;
    const { memory, chatId } = this;
    this.turn.pipe(
      () => memory.feedback(chatId, messageId, delta),
      (outcome) => ({ type: 'MemoryDone', op: 'feedback', outcome }),
    );
  }
}
