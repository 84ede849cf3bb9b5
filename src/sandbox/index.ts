export {
  type BotApiEmulatorOptions,
  type BotApiEmulatorStats,
  BotApiEmulator,
  type InjectedMessage,
  type SentRecord,
} from './bot-api-emulator.js';
export { EMULATOR_IDS_FILE, EmulatorIds } from './emulator-ids.js';
export {
  breakConnection,
  type FaultKind,
  FaultPlan,
  type FaultRates,
  parseFaultRequest,
  type ScriptedFault,
} from './emulator-fault.js';
export { runEmulatorCommand } from './emulator-command.js';
export { type ToolScript } from './emulator-tool-calls.js';
export { GroqEmulator, type GroqEmulatorOptions, type GroqEmulatorStats } from './groq-emulator.js';
export { type LatencyModel } from './latency-model.js';
export * from './upstreams/index.js';
export {
  SANDBOX_CHATS,
  type SandboxChat,
  SandboxConversation,
  type SandboxConversationOptions,
  type SandboxMember,
} from './sandbox-conversation.js';
export { SeededRandom } from './seeded-random.js';
export { type Sandbox, type SandboxOptions, startSandbox } from './start-sandbox.js';
