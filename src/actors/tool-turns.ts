import type { ToolRound } from '../chat/index.js';
import type { ChatTurn as LlmTurn } from '../llm/index.js';

/**
 * The tool rounds of a reply as conversation turns after the prompt (OpenAI
 * chat format): per round, the assistant message with the calls, then one
 * `tool` message with each call's result.
 */
export function toolTurns(rounds: readonly ToolRound[]): LlmTurn[] {
  const turns: LlmTurn[] = [];
  for (const round of rounds) {
    turns.push({
      role: 'assistant',
      content: null,
      tool_calls: round.calls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    round.calls.forEach((c, i) => {
      turns.push({ role: 'tool', tool_call_id: c.id, content: round.results[i] ?? '' });
    });
  }
  return turns;
}
