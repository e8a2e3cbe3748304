/** Accumulates next-item metrics: HR@k and MRR@k (in %). */
export class NextItemMetrics {
  private n = 0;
  private hits = 0;
  private rr = 0;

  constructor(readonly k: number) {}

  add(ranked: readonly string[], target: string): void {
    this.n++;
    const at = ranked.slice(0, this.k).indexOf(target);
    if (at >= 0) {
      this.hits++;
      this.rr += 1 / (at + 1);
    }
  }

  get hr(): number {
    return (100 * this.hits) / Math.max(1, this.n);
  }

  get mrr(): number {
    return (100 * this.rr) / Math.max(1, this.n);
  }
}

/** Set-prediction metrics of the Online Retail protocol: Recall@k, NDCG@k (binary), HR@k, in %. */
export class SetMetrics {
  private n = 0;
  private recall = 0;
  private ndcg = 0;
  private hits = 0;

  constructor(readonly k: number) {}

  add(ranked: readonly string[], truth: ReadonlySet<string>): void {
    this.n++;
    const top = ranked.slice(0, this.k);
    let hit = 0;
    let dcg = 0;
    top.forEach((id, i) => {
      if (truth.has(id)) {
        hit++;
        dcg += 1 / Math.log2(i + 2);
      }
    });
    const ideal = Math.min(truth.size, this.k);
    let idcg = 0;
    for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2);
    this.recall += ideal > 0 ? hit / ideal : 0;
    this.ndcg += idcg > 0 ? dcg / idcg : 0;
    if (hit > 0) this.hits++;
  }

  get values(): { recall: number; ndcg: number; hr: number } {
    const d = Math.max(1, this.n) / 100;
    return { recall: this.recall / d, ndcg: this.ndcg / d, hr: this.hits / d };
  }
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[(s.length - 1) >> 1]!;
}
