/**
 * Tools the model may call while it writes a reply (OpenAI-compatible
 * `tools`): plugin commands marked as tools. The reply flow offers the
 * chat's tools with the prompt; when the model asks for calls, the actor runs
 * them as side effects and sends their results back to the model.
 */

/** A tool as the model sees it. */
export interface ToolSpec {
  /** `^[a-zA-Z0-9_-]{1,64}$`, unique among the chat's tools. */
  name: string;
  description: string;
  /** JSON Schema (an object schema) of its arguments. */
  parameters: Record<string, unknown>;
}

/** One call the model asked for. */
export interface ToolCall {
  /** The model's id of the call, echoed with its result. */
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, possibly malformed. */
  arguments: string;
}

/** Who a tool runs for: the chat and member the reply answers, in the reply's language. */
export interface ToolCaller {
  chatId: number;
  userId: number;
  /** `ru`, `uk`, `en`. */
  language: string;
  /** The message being answered. */
  messageId: number;
}

export interface ChatTools {
  /**
   * The tools the model may call in a chat, given the chat's plugin choices
   * (`ChatState.plugins`): those of plugins enabled there whose breaker is
   * not open. Empty when there are none (the request then carries no tools).
   */
  available(
    chatId: number,
    choices: Readonly<Record<string, { enabled?: boolean | undefined }>> | undefined,
  ): ToolSpec[];
  /**
   * Runs one call and resolves to the text handed back to the model. Never
   * rejects: an unknown tool, bad arguments, a failure or a timeout resolve
   * to a short description of what went wrong, for the model to work with.
   */
  run(caller: ToolCaller, call: ToolCall, signal: AbortSignal): Promise<string>;
}
