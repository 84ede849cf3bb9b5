import { Decoder, Encoder } from '@msgpack/msgpack';
import { MsgpackWriter, type MsgpackWriterOptions } from './msgpack-writer.js';

/**
 * The one binary encoding of the runtime: actor snapshots, data crossing
 * worker threads and the Redis hot tier all use msgpack. Encoder and decoder
 * instances are reused because they keep internal buffers and caches.
 * Plain data is written by `MsgpackWriter` (same bytes, faster); the
 * library's encoder takes what it leaves (dates, binary, errors).
 */
export class Codec {
  private readonly writer: MsgpackWriter;
  private readonly encoder = new Encoder({ ignoreUndefined: true });
  private readonly decoder = new Decoder();

  /** `pooled`: see `MsgpackWriterOptions`; the library's results are never pooled. */
  constructor(options: MsgpackWriterOptions = {}) {
    this.writer = new MsgpackWriter(options);
  }

  encode(value: unknown): Uint8Array {
    return this.writer.encode(value) ?? this.encoder.encode(value);
  }

  decode(bytes: Uint8Array): unknown {
    return this.decoder.decode(bytes);
  }
}
