/** Small statistics for the engine bench: percentiles, medians, histogram merging and table printing. */

/** The `p`-th percentile (0–100) of `values` by nearest rank; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median of `values`; NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A cumulative Prometheus histogram: upper bounds (seconds, ascending, ending with +Inf) and counts. */
export interface CumulativeHistogram {
  bounds: number[];
  counts: number[];
}

/** The smallest bucket bound holding the `p`-th percentile of a cumulative histogram (seconds); NaN when empty. */
export function histogramPercentile(histogram: CumulativeHistogram, p: number): number {
  const total = histogram.counts.at(-1) ?? 0;
  if (total === 0) return Number.NaN;
  const wanted = (p / 100) * total;
  for (let i = 0; i < histogram.bounds.length; i++) {
    if ((histogram.counts[i] ?? 0) >= wanted) return histogram.bounds[i]!;
  }
  return Number.POSITIVE_INFINITY;
}

/** Reads one histogram out of Prometheus exposition text. */
export function parsePrometheusHistogram(text: string, name: string): CumulativeHistogram {
  const bounds: number[] = [];
  const counts: number[] = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(pattern)) {
    bounds.push(match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]));
    counts.push(Number(match[2]));
  }
  return { bounds, counts };
}

/** Sums histograms with the same bounds (e.g. one per cluster worker). */
export function mergeHistograms(histograms: readonly CumulativeHistogram[]): CumulativeHistogram {
  const first = histograms[0];
  if (first === undefined) return { bounds: [], counts: [] };
  return {
    bounds: [...first.bounds],
    counts: first.counts.map((_, i) => histograms.reduce((sum, h) => sum + (h.counts[i] ?? 0), 0)),
  };
}

/** `b - a` bucket by bucket (a window between two scrapes). */
export function subtractHistogram(
  b: CumulativeHistogram,
  a: CumulativeHistogram,
): CumulativeHistogram {
  return { bounds: [...b.bounds], counts: b.counts.map((count, i) => count - (a.counts[i] ?? 0)) };
}

/** Formats a number for the tables: integers as is, else 2 decimals (3 below 1). */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : `>max${unit}`;
  if (Number.isInteger(value)) return `${value}${unit}`;
  return `${value.toFixed(Math.abs(value) < 1 ? 3 : 2)}${unit}`;
}

/** A plain-text table with padded columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
