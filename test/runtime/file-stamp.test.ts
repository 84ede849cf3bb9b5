import { describe, expect, it } from 'vitest';
import { fileStamp } from '../../src/runtime/index.js';

describe('fileStamp', () => {
  it('writes a UTC time to the second without characters file systems refuse', () => {
    expect(fileStamp(new Date(Date.UTC(2026, 11, 4, 23, 10, 5, 678)))).toBe('2026-12-04T23-10-05Z');
  });

  it('sorts in time order as text', () => {
    const times = [Date.UTC(2026, 0, 2, 3), Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 2, 3, 0, 1)];
    const stamps = times.map((t) => fileStamp(new Date(t)));
    expect([...stamps].sort()).toEqual([stamps[1], stamps[0], stamps[2]]);
  });
});
