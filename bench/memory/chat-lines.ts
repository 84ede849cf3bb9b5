import { groupConversation, seededRandom } from '../chat-corpus.js';

const NAMES = ['Дима', 'Саша', 'Катя', 'Олег', 'Лена', 'Миша', 'Аня', 'Игорь', 'Max', 'Kate', 'John', 'Nastya'];
const DAYS = [
  'в понедельник',
  'во вторник',
  'в среду',
  'в четверг',
  'в пятницу',
  'в субботу',
  'завтра',
  'tomorrow',
  'on monday',
];

/**
 * Lines a chat would remember: the group conversation of `chat-corpus.ts`,
 * with one, two or three consecutive lines sent as one message and now and
 * then a name, a day, a time or a price in it. The corpus alone repeats its
 * templates (about 12k distinct lines in 100k), and an index of mostly
 * identical vectors says nothing about a real chat's recall.
 */
export function* memoryLines(seed: number): Generator<string> {
  const random = seededRandom(seed ^ 0x5eed);
  const conversation = groupConversation({ chatId: seed, members: 25, seed, startId: 1 });
  const next = (): string => conversation.next().value?.text ?? '';
  for (;;) {
    const parts = 1 + Math.floor(random() * 3);
    let text = next();
    for (let i = 1; i < parts; i++) text = `${text} ${next()}`;
    const detail = random();
    if (detail < 0.15) text = `${NAMES[Math.floor(random() * NAMES.length)]}, ${text}`;
    else if (detail < 0.3) text = `${text} ${DAYS[Math.floor(random() * DAYS.length)]}`;
    else if (detail < 0.4) text = `${text} в ${10 + Math.floor(random() * 13)}:${random() < 0.5 ? '00' : '30'}`;
    else if (detail < 0.5) text = `${text} за ${(1 + Math.floor(random() * 99)) * 500}`;
    yield text;
  }
}

/** `count` lines from `memoryLines(seed)`, skipping any in `exclude` (so queries are never members of the index). */
export function takeLines(seed: number, count: number, exclude?: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const line of memoryLines(seed)) {
    if (lines.length >= count) break;
    if (exclude?.has(line) !== true) lines.push(line);
  }
  return lines;
}
