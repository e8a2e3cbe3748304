import type { CatalogItem } from '../types';

const PATH_SEP = '\u001f';

/** Interns item ids as dense integers and holds the catalog fields filters need. */
export class ItemTable {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private price = new Float64Array(1024);
  private flags = new Uint8Array(1024); // bit 0: in catalog, bit 1: available
  private readonly paths: string[] = [];
  private readonly titles: string[] = [];
  private inCatalogCount = 0;

  get size(): number {
    return this.ids.length;
  }

  /** How many items are in the catalog (kept up to date, not counted per call). */
  get catalogSize(): number {
    return this.inCatalogCount;
  }

  idx(id: string): number | undefined {
    return this.index.get(id);
  }

  intern(id: string): number {
    const known = this.index.get(id);
    if (known !== undefined) return known;
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    this.paths.push('');
    this.titles.push('');
    if (i >= this.price.length) {
      const price = new Float64Array(this.price.length * 2);
      price.set(this.price);
      this.price = price;
      const flags = new Uint8Array(this.flags.length * 2);
      flags.set(this.flags);
      this.flags = flags;
    }
    return i;
  }

  upsert(item: CatalogItem): void {
    const i = this.intern(item.id);
    this.price[i] = item.price;
    if (!this.inCatalog(i)) this.inCatalogCount++;
    this.flags[i] = 1 | (item.available ? 2 : 0);
    this.paths[i] = item.categoryPath.join(PATH_SEP) + PATH_SEP;
    this.titles[i] = item.title;
  }

  /** Drops all catalog fields (interned ids stay; they carry no data). */
  clearCatalog(): void {
    this.flags.fill(0);
    this.inCatalogCount = 0;
    this.paths.fill('');
    this.titles.fill('');
  }

  inCatalog(i: number): boolean {
    return ((this.flags[i] ?? 0) & 1) === 1;
  }

  available(i: number): boolean {
    return ((this.flags[i] ?? 0) & 2) === 2;
  }

  priceOf(i: number): number {
    return this.price[i] ?? Number.NaN;
  }

  /** The category path joined with a separator that cannot occur in names, with a trailing one. */
  pathKey(i: number): string {
    return this.paths[i] ?? '';
  }

  categoryPath(i: number): string[] {
    const key = this.paths[i] ?? '';
    return key === '' ? [] : key.slice(0, -1).split(PATH_SEP);
  }

  title(i: number): string | undefined {
    return this.inCatalog(i) ? this.titles[i] : undefined;
  }

  /** Canonical catalog lines for the fingerprint. */
  catalogLines(): string[] {
    const lines: string[] = [];
    for (let i = 0; i < this.ids.length; i++) {
      if (!this.inCatalog(i)) continue;
      lines.push(`${this.ids[i]}|${this.titles[i]}|${this.paths[i]}|${this.price[i]}|${this.available(i)}`);
    }
    return lines.sort();
  }
}

export function pathPrefixKey(prefix: readonly string[]): string {
  return prefix.length === 0 ? '' : prefix.join(PATH_SEP) + PATH_SEP;
}
