/** The p-th percentile of samples sorted in ascending order (nearest rank). */
export const pct = (sorted: ArrayLike<number>, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
