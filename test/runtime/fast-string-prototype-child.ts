// Runs under `node --allow-natives-syntax` (see fast-string-prototype.test.ts) and reports whether
// String.prototype is a fast-mode object after what argv[2] names was loaded.
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const fast = (): boolean => hasFastProperties(String.prototype);

const report: Record<string, boolean> = { atStart: fast() };
switch (process.argv[2]) {
  case 'ioredis': {
    await import('ioredis');
    report.afterIoredis = fast();
    const { keepStringPrototypeFast } = await import('../../src/runtime/index.js');
    keepStringPrototypeFast();
    report.afterKeep = fast();
    // Once fast, another subclass of String leaves it so.
    class Tagged extends String {}
    void new Tagged('x');
    report.afterAnotherSubclass = fast();
    break;
  }
  case 'wiring':
    await import('../../src/main.js');
    report.afterWiring = fast();
    break;
  default:
    throw new Error(`unknown case ${process.argv[2]}`);
}
process.send?.(report);
