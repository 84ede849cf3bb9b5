// A process that stages a snapshot and stops while Postgres is unreachable:
// it must wait out its deadline and report the loss, not exit silently.
// Protocol: sends { ready: true } once storage is open, waits for { stop: true },
// then writes the close report as one JSON line on stdout.
import { Storage } from '../../../src/storage/index.js';
import type { CounterState } from '../../support/counter-actor.js';
import { counterFormat } from '../../support/counter-runtime.js';

const url = process.env.DATABASE_URL;
if (url === undefined) throw new Error('close child: DATABASE_URL is not set');
const storage = await Storage.open({ databaseUrl: url, snapshotIntervalMs: 60_000 });
const snapshots = await storage.writeBehind<string, CounterState>({ format: counterFormat });
process.send?.({ ready: true });
process.once('message', () => {
  snapshots.persist('chat:1', { seen: [1] });
  void storage.close({ deadlineMs: 1500 }).then((report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.disconnect();
  });
});
