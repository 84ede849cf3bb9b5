import { type Static, Type } from 'typebox';

/** A persona the bot can take in a chat. */
export const PersonaInfo = Type.Object({
  name: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  id: Type.String({ description: 'name@version, as the debug prompt view shows it' }),
  aliases: Type.Array(Type.String(), { description: 'what it answers to; the Russian case forms of each count too' }),
  default: Type.Boolean({ description: 'the persona of every chat that has not chosen one' }),
});
export type PersonaInfo = Static<typeof PersonaInfo>;
