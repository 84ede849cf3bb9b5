import { type Static, Type } from 'typebox';

/** One style rule key lowered by feedback in a chat. */
export const StyleWeightLine = Type.Object({
  key: Type.String({
    description: 'the rule and what it asks for: `length:short`, `humour:playful`, `formality:casual`',
  }),
  weight: Type.Number({ minimum: 0, maximum: 1, description: 'now, after drifting back toward 1 (two decimals)' }),
  muted: Type.Boolean({ description: 'left out of prompts: the weight is below `muteBelow`' }),
});

/** What feedback on the bot's replies has done to a chat's style. */
export const ChatStyle = Type.Object({
  rules: Type.Array(StyleWeightLine, { description: 'rule keys weighing less than 1, lowest first' }),
  muteBelow: Type.Number({ description: 'below this weight a rule is left out of prompts' }),
  rememberedReplies: Type.Integer({
    minimum: 0,
    description: 'recent bot replies whose rule keys are remembered, so feedback on them finds them',
  }),
});
export type ChatStyle = Static<typeof ChatStyle>;
