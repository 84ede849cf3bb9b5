// Lehmer's multiplier modulo the Mersenne prime 2^31 − 1 ("MINSTD"): a
// permutation of the residues that moves neighbouring ids far apart, and
// whose every intermediate stays below 2^53 in JS and 2^63 in SQL — so
// Postgres computes the very same partition (see the storage's
// `partitionSql`), which lets a query pick the rows of some partitions.
const MODULUS = 2_147_483_647;
const MULTIPLIER = 48_271;

/**
 * The partition a chat belongs to, out of `partitions`: the same in every
 * process, release and restart, and in SQL.
 */
export function partitionOf(chatId: number, partitions: number): number {
  return (((Math.abs(chatId) % MODULUS) * MULTIPLIER) % MODULUS) % partitions;
}

/** The SQL twin of {@link partitionOf} over a bigint column (or expression) and a partition-count parameter. */
export function partitionSql(column: string, partitionsParam: string): string {
  return `((abs(${column}) % ${MODULUS}) * ${MULTIPLIER} % ${MODULUS}) % ${partitionsParam}`;
}
