import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The file, under the emulator's state directory, that keeps its id counters between runs. */
export const EMULATOR_IDS_FILE = 'emulator-ids.json';

/** Ids handed out between two writes of the file: writes stay rare, and a crash skips at most this many. */
const RESERVE_BLOCK = 1000;

const savedIds = z.object({
  version: z.literal(1),
  nextUpdateId: z.number().int().positive(),
  nextMessageId: z.number().int().positive(),
});

/**
 * Update and message ids of the Bot API emulator. A bot with persistent
 * state remembers the last update and message ids of every chat and skips
 * anything at or below them as a redelivery, so a restarted emulator must
 * never hand out an id it handed out before. With a state directory the
 * counters continue from `emulator-ids.json` there: a block of ids is
 * reserved in the file (written atomically) before any id of it is used, so
 * even a killed process never repeats one. Without a directory, or when the
 * file is missing or unreadable, they start from the clock (milliseconds):
 * above every id of an earlier run that handed out fewer ids than it ran
 * milliseconds (also the ids of data made before the file existed).
 */
export class EmulatorIds {
  private nextUpdate: number;
  /** Every chat's message ids start above this (ids up to it may have been handed out by an earlier run). */
  readonly messageFloor: number;
  private maxMessageId: number;
  private reservedUpdate: number;
  private reservedMessage: number;

  private constructor(
    start: { nextUpdateId: number; nextMessageId: number },
    private readonly file: string | null,
  ) {
    this.nextUpdate = start.nextUpdateId;
    this.messageFloor = start.nextMessageId - 1;
    this.maxMessageId = this.messageFloor;
    this.reservedUpdate = this.nextUpdate;
    this.reservedMessage = this.messageFloor;
  }

  /** Counters that start from `nowMs` and are kept nowhere. */
  static fromClock(nowMs: number): EmulatorIds {
    return new EmulatorIds(clockStart(nowMs), null);
  }

  /** Counters kept in `dir/emulator-ids.json`, continuing from it (or from `nowMs` when there is none yet). */
  static persisted(dir: string, nowMs: number): EmulatorIds {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, EMULATOR_IDS_FILE);
    return new EmulatorIds(readSaved(file) ?? clockStart(nowMs), file);
  }

  /** The next update id. */
  nextUpdateId(): number {
    const id = this.nextUpdate++;
    if (id >= this.reservedUpdate) this.reserve();
    return id;
  }

  /** Moves the update counter past an id given from outside (a raw update carrying its own). */
  skipUpdateIdsTo(id: number): void {
    if (id < this.nextUpdate) return;
    this.nextUpdate = id + 1;
    if (id >= this.reservedUpdate) this.reserve();
  }

  /** The next message id of a chat whose last one was `lastInChat` (undefined: none yet in this run). */
  nextMessageId(lastInChat: number | undefined): number {
    const id = Math.max(lastInChat ?? 0, this.messageFloor) + 1;
    if (id > this.maxMessageId) this.maxMessageId = id;
    if (id >= this.reservedMessage) this.reserve();
    return id;
  }

  private reserve(): void {
    this.reservedUpdate = Math.max(this.reservedUpdate, this.nextUpdate + RESERVE_BLOCK);
    this.reservedMessage = Math.max(this.reservedMessage, this.maxMessageId + RESERVE_BLOCK);
    if (this.file !== null)
      writeAtomically(
        this.file,
        JSON.stringify({ version: 1, nextUpdateId: this.reservedUpdate, nextMessageId: this.reservedMessage + 1 }),
      );
  }
}

function clockStart(nowMs: number): { nextUpdateId: number; nextMessageId: number } {
  const start = Math.max(1, Math.floor(nowMs));
  return { nextUpdateId: start, nextMessageId: start };
}

/** The saved counters, or null when there are none or they cannot be read (the clock is then the safe start). */
function readSaved(file: string): z.infer<typeof savedIds> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // No file yet: a first run in this directory.
    return null;
  }
  try {
    const parsed = savedIds.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    // Not JSON (a hand edit or a foreign file): the clock start is the safe one.
    return null;
  }
}

/** Temp file, fsync, rename: a reader (or the next run after a crash) sees the old counters or the new ones, never half a file. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
