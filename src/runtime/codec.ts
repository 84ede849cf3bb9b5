import { Decoder, Encoder } from '@msgpack/msgpack';

/**
 * The one binary encoding of the runtime: actor snapshots, data crossing
 * worker threads and the Redis hot tier all use msgpack. Encoder and decoder
 * instances are reused because they keep internal buffers and caches.
 */
export class Codec {
  private readonly encoder = new Encoder({ ignoreUndefined: true });
  private readonly decoder = new Decoder();

  encode(value: unknown): Uint8Array {
    return this.encoder.encode(value);
  }

  decode(bytes: Uint8Array): unknown {
    return this.decoder.decode(bytes);
  }
}
