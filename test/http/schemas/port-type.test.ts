import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { describe, expectTypeOf, expect, it } from 'vitest';
import type { AuditEntry, ChatSummary, Identity, MemberSummary, MessageView, Role } from '../../../src/http/index.js';
import type { PortType } from '../../../src/http/schemas/port-type.js';
import type * as ports from '../../../src/ports/index.js';

// The checks are made by the compiler (`tsc -p tsconfig.json` covers test/):
// a schema that drifts from its port type no longer compiles.

interface Port {
  id: number;
  note: string | null;
}

const exact = Type.Object({ id: Type.Integer(), note: Type.Union([Type.String(), Type.Null()]) });
const optionalNote = Type.Object({ id: Type.Integer(), note: Type.Optional(Type.Union([Type.String(), Type.Null()])) });
const extraField = Type.Object({
  id: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  more: Type.String(),
});

describe('PortType', () => {
  it('is the port type when the schema describes it exactly, and does not compile when the schema drifted', () => {
    expectTypeOf<PortType<Port, typeof exact>>().toEqualTypeOf<Port>();
    // @ts-expect-error the schema's note may be absent, the port's may not
    expectTypeOf<PortType<Port, typeof optionalNote>>().toEqualTypeOf<Port>();
    // @ts-expect-error the schema has a field the port does not
    expectTypeOf<PortType<Port, typeof extraField>>().toEqualTypeOf<Port>();
    expect(Value.Check(exact, { id: 1, note: null } satisfies Port)).toBe(true);
    // What the refused schemas would do at run time: let through a value the port forbids, refuse one it allows.
    expect(Value.Check(optionalNote, { id: 1 })).toBe(true);
    expect(Value.Check(extraField, { id: 1, note: null } satisfies Port)).toBe(false);
  });

  it('gives the admin API the port types storage implements, not copies of them', () => {
    expectTypeOf<ChatSummary>().toEqualTypeOf<ports.ChatSummary>();
    expectTypeOf<MemberSummary>().toEqualTypeOf<ports.MemberSummary>();
    expectTypeOf<MessageView>().toEqualTypeOf<ports.MessageView>();
    expectTypeOf<AuditEntry>().toEqualTypeOf<ports.AuditEntry>();
    expectTypeOf<Identity>().toEqualTypeOf<ports.Identity>();
    expectTypeOf<Role>().toEqualTypeOf<ports.AdminRole>();
  });
});
