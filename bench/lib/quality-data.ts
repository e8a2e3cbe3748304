import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogItem, Interaction } from '@vitrine/engine';

export interface SessionDataset {
  name: string;
  train: string[][];
  test: { prefix: string[]; target: string }[];
}

/** Every folder under sessions/ with train_sessions.txt and test_prefix_target.tsv. */
export function sessionDatasets(dataDir: string): string[] {
  const root = join(dataDir, 'sessions');
  try {
    return readdirSync(root)
      .filter((d) => statSync(join(root, d)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

export function readSessionDataset(dataDir: string, name: string): SessionDataset {
  const dir = join(dataDir, 'sessions', name);
  const train = readFileSync(join(dir, 'train_sessions.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
  const test = readFileSync(join(dir, 'test_prefix_target.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [prefix = '', target = ''] = l.split('\t');
      return { prefix: prefix.trim().split(/\s+/), target: target.trim() };
    });
  return { name, train, test };
}

/** The session files carry no timestamps: sessions are stamped one minute apart in file order. */
export const T0 = Date.UTC(2020, 0, 1);
export const SESSION_GAP_MS = 60_000;

export function sessionInteractions(train: readonly string[][], offset = 0): Interaction[] {
  const out: Interaction[] = [];
  train.forEach((items, s) => {
    const id = `s${s + offset}`;
    const start = T0 + (s + offset) * SESSION_GAP_MS;
    items.forEach((item, p) => {
      out.push({ subject: id, session: id, item, type: 'view', ts: start + p, category: 'browsing' });
    });
  });
  return out;
}

export interface RetailRow {
  invoice: string;
  item: string;
  title: string;
  quantity: number;
  ts: number;
  price: number;
  customer: string;
}

/** Splits one CSV line with RFC 4180 quoting. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Rows of online_retail.csv, without cancellations and rows without CustomerID (README protocol). */
export function readRetail(dataDir: string): RetailRow[] {
  const text = readFileSync(join(dataDir, 'online-retail', 'online_retail.csv'), 'utf8');
  const rows: RetailRow[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const [invoice = '', item = '', title = '', qty = '', date = '', price = '', customer = ''] =
      csvFields(line);
    if (invoice.startsWith('C') || customer === '') continue;
    rows.push({
      invoice,
      item,
      title,
      quantity: Number(qty),
      ts: Date.parse(`${date.replace(' ', 'T')}Z`),
      price: Number(price),
      customer: String(Math.round(Number(customer))),
    });
  }
  return rows;
}

export function retailInteraction(r: RetailRow): Interaction {
  return {
    subject: r.customer,
    session: r.invoice,
    item: r.item,
    type: 'purchase',
    ts: r.ts,
    quantity: r.quantity,
    category: 'purchases',
  };
}

export function retailCatalog(rows: readonly RetailRow[]): CatalogItem[] {
  const byId = new Map<string, CatalogItem>();
  for (const r of rows) {
    if (!byId.has(r.item)) {
      byId.set(r.item, { id: r.item, title: r.title, categoryPath: [], price: r.price, available: true });
    }
  }
  return [...byId.values()];
}
