import type { FinetuneFormat } from '../../chat/index.js';

/** The three files of a fine-tune export. */
export type FinetuneFile = 'conversations' | 'preferences' | 'manifest';

/** What a fine-tune export is asked for; the range is [`sinceMs`, `untilMs`). */
export interface FinetuneRequest {
  sinceMs: number;
  untilMs: number;
  minScore: number;
  format: FinetuneFormat;
}

/** Bot replies as training data (docs/personas.md#fine-tuning), one file at a time. */
export interface FinetuneExports {
  /** The lines of `file` (JSONL lines, or the manifest as one JSON document), produced as they are read. */
  file(request: FinetuneRequest, file: FinetuneFile): AsyncIterable<string>;
}
