import { describe, expect, it } from 'vitest';
import { readToolCalls } from '../../src/llm/index.js';

describe('readToolCalls', () => {
  const table: Array<{ name: string; raw: unknown; calls: unknown[]; malformed: number }> = [
    { name: 'no tool_calls', raw: undefined, calls: [], malformed: 0 },
    { name: 'null', raw: null, calls: [], malformed: 0 },
    { name: 'not an array', raw: { id: 'x' }, calls: [], malformed: 1 },
    {
      name: 'a well-formed call',
      raw: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Питер"}' } }],
      calls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Питер"}' }],
      malformed: 0,
    },
    {
      name: 'a call of another type',
      raw: [{ id: 'c1', type: 'code_interpreter', function: { name: 'x', arguments: '{}' } }],
      calls: [],
      malformed: 1,
    },
    {
      name: 'missing arguments become an empty object',
      raw: [{ id: 'c1', function: { name: 'weather' } }],
      calls: [{ id: 'c1', name: 'weather', arguments: '{}' }],
      malformed: 0,
    },
    {
      name: 'repeated ids are told apart',
      raw: [
        { id: 'c1', function: { name: 'a', arguments: '{}' } },
        { id: 'c1', function: { name: 'b', arguments: '{}' } },
      ],
      calls: [
        { id: 'c1', name: 'a', arguments: '{}' },
        { id: 'c1_1', name: 'b', arguments: '{}' },
      ],
      malformed: 0,
    },
    {
      name: 'malformed JSON arguments are kept as written',
      raw: [{ id: 'c1', function: { name: 'a', arguments: '{"x": ' } }],
      calls: [{ id: 'c1', name: 'a', arguments: '{"x": ' }],
      malformed: 0,
    },
  ];
  it.each(table)('$name', ({ raw, calls, malformed }) => {
    expect(readToolCalls(raw)).toEqual({ calls, malformed });
  });
});
