// Run by heap-growth.test.ts in a process of its own (a V8 flag holds for the whole process):
// sets the heap growth argv[2] names, then makes 12 million small objects that each live long enough
// to be promoted, beside 300k live ones, and reports how many full collections that took.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setHeapGrowth } from '../../src/runtime/index.js';

setHeapGrowth(Number(process.argv[2]));
let full = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
});
observer.observe({ entryTypes: ['gc'] });
const live = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `item ${i}` }));
(globalThis as { gc?: () => void }).gc?.();
await new Promise((resolve) => setTimeout(resolve, 10));
full = 0;
// Each object outlives several young-generation collections (it stays in the ring for 400k
// allocations), so it is promoted and dies in the old generation.
const ring = new Array<unknown>(400_000);
for (let i = 0; i < 12_000_000; i++) ring[i % ring.length] = { i, pair: [i, i + 1] };
await new Promise((resolve) => setTimeout(resolve, 10));
observer.disconnect();
process.send?.({ full, live: live.length });
