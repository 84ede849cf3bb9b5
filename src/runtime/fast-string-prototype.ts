/**
 * Makes `String.prototype` a fast-mode object again after something turned
 * it into a dictionary. Using it as the prototype of another object does
 * that, and ioredis does it on import (`class VerbatimString extends
 * String`). While it is a dictionary, V8's optimized code calls string
 * methods such as `charCodeAt` instead of inlining them, and every string
 * loop of the process (the chat pipeline's scanners, the msgpack writer,
 * the PII and leak checks) runs several times slower: encoding a chat
 * snapshot took 16 µs instead of 6, a `charCodeAt` loop 5× as long. V8
 * makes a prototype fast again when a property is stored on an object that
 * inherits from it, which is what this does.
 *
 * Call it once the modules are loaded: the wiring (`main.ts`) does when it
 * is imported, after everything it imports, ioredis included.
 */
export function keepStringPrototypeFast(): void {
  const heir = Object.create(String.prototype) as { fast?: boolean };
  heir.fast = true;
}
