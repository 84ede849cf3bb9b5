import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyModel } from '../../scripts/build-tiny-model.mjs';

const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/models/lekha-tiny', import.meta.url));

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

describe('build-tiny-model', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'lekha-tiny-'));
    buildTinyModel(outDir);
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes files byte-identical to the committed fixture', () => {
    const files = listFiles(outDir);
    expect(files).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    expect(listFiles(FIXTURE_DIR)).toEqual(files);
    for (const file of files) {
      expect(readFileSync(path.join(outDir, file)).equals(readFileSync(path.join(FIXTURE_DIR, file))), file).toBe(true);
    }
  });

  it('keeps the model under 200 KB', () => {
    const totalBytes = listFiles(outDir).reduce((sum, file) => sum + statSync(path.join(outDir, file)).size, 0);
    expect(totalBytes).toBeLessThan(200 * 1024);
  });
});
