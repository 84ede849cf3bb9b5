import { assessTone, type Tone } from './assess-tone.js';
import type { Language } from './chat-state.js';
import { detectLanguage } from './detect-language.js';
import { scanText, type TextScan } from './scan-text.js';
import type { Vocabulary, WordInfo } from './vocabulary.js';

/** Everything read from one message's text, computed once and shared by the pipeline's stages. */
export interface MessageAnalysis {
  scan: TextScan;
  /** One entry per word of `scan.words`. */
  infos: WordInfo[];
  tone: Tone;
  language: Language;
}

export function analyseMessage(text: string, vocabulary: Vocabulary): MessageAnalysis {
  const scan = scanText(text);
  const infos = new Array<WordInfo>(scan.words.length);
  for (let i = 0; i < scan.words.length; i++) infos[i] = vocabulary.lookup(scan.words[i]!);
  return { scan, infos, tone: assessTone(scan, infos, text), language: detectLanguage(scan) };
}
