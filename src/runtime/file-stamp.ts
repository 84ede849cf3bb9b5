/**
 * `2026-12-04T23-10-05Z`: a UTC time, to the second, that sorts and is safe
 * in file names (backups, the database kept aside by a restore).
 */
export function fileStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}
