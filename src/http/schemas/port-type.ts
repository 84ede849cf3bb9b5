import type { Static, TSchema } from 'typebox';

/** True only when A and B are the same type (an optional field and a required one differ). */
type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * The port type `Port` (declared once, in src/ports), as the type of the
 * schema that validates and serialises it. It compiles only when `Schema`
 * describes exactly `Port`, so the schema and the port cannot drift apart:
 * `export type ChatSummary = PortType<ports.ChatSummary, typeof ChatSummary>`.
 */
export type PortType<
  Port,
  Schema extends TSchema &
    (SameType<Static<Schema>, Port> extends true
      ? unknown
      : { error: 'the schema does not describe its port type exactly' }),
> = Schema extends unknown ? Port : never;
