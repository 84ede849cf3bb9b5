/** Writes the `lekha-tiny` model files into `outDir`; returns their paths relative to it. */
export function buildTinyModel(outDir: string): string[];
