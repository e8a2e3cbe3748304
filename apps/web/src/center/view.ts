/**
 * Reads the subject's export (`GET /v1/subjects/{id}/export?format=json`, format
 * `vitrine-export/1`) into what the privacy center lists: every data point, grouped by
 * category, with its source, purposes and expiry. Pure, so a unit test holds it to the format.
 */
import type { ConsentRecord, PredictionOut } from '@vitrine/contracts';

/** One data point as the export lists it. */
export interface ExportPoint {
  store: string;
  id: string | null;
  time: string | null;
  category: string;
  category_label: string;
  source: string;
  purposes: string[];
  legal_basis: string[];
  retention: string;
  expires_at: string | null;
  value: Record<string, unknown>;
}

export interface SubjectExportJson {
  format: string;
  data: ExportPoint[];
}

/** A group of data points of one category, in the order the export lists them. */
export interface PointGroup {
  category: string;
  label: string;
  points: ExportPoint[];
}

/** Shown elsewhere in the center: the consent history and the inferences have sections of their own. */
const ELSEWHERE = new Set(['consent', 'predictions']);

export function groupPoints(x: SubjectExportJson): { groups: PointGroup[]; elsewhere: number } {
  const groups = new Map<string, PointGroup>();
  let elsewhere = 0;
  for (const p of x.data) {
    if (ELSEWHERE.has(p.category)) {
      elsewhere++;
      continue;
    }
    const g = groups.get(p.category) ?? { category: p.category, label: p.category_label, points: [] };
    g.points.push(p);
    groups.set(p.category, g);
  }
  return { groups: [...groups.values()], elsewhere };
}

/** The item ids the data points name, to look their titles up once. */
export function itemIds(x: SubjectExportJson): string[] {
  const ids = new Set<string>();
  for (const p of x.data) {
    const v = p.value;
    if (typeof v.item_id === 'string') ids.add(v.item_id);
  }
  return [...ids];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * What a data point is, in words: the event and its item, the search, the order, an exclusion,
 * a count. `types` names the event types, `titleOf` the items.
 */
export function describePoint(
  p: ExportPoint,
  types: Readonly<Record<string, string>>,
  titleOf: (id: string) => string,
): string {
  const v = p.value;
  if (p.store === 'events') {
    const item = str(v.item_id);
    const query = str(v.query);
    const order = str(v.order_id);
    const what = [
      types[String(v.type)] ?? String(v.type),
      item === null ? null : titleOf(item),
      query === null ? null : `„${query}“`,
      order === null ? null : order,
    ];
    return what.filter((x) => x !== null).join(' · ');
  }
  if (p.store === 'exclusions') {
    const item = str(v.item_id);
    return item !== null ? titleOf(item) : Array.isArray(v.category) ? v.category.join(' › ') : (p.id ?? '');
  }
  const parts = Object.entries(v)
    .filter(([, x]) => x !== null && typeof x !== 'object')
    .map(([k, x]) => `${k}: ${String(x)}`);
  return parts.join(', ') || (p.id ?? p.store);
}

/** The consent state as the export's `subjects` data point holds it. */
export interface ExportedState {
  level: number;
  purposes: Record<string, boolean>;
  gpc: boolean;
  paused: boolean;
}

/** Everything the center shows about the subject, from one export. */
export interface CenterView {
  state: ExportedState | null;
  objection: { direct_marketing: boolean; profiling: boolean } | null;
  records: Array<{ record: ConsentRecord; notice_text: string | null }>;
  predictions: PredictionOut[];
  groups: PointGroup[];
  /** Data points listed in the sections of their own (consent, predictions). */
  elsewhere: number;
  /** The export itself; null from a server that has none (then only the choice and the ledger show). */
  exported: SubjectExportJson | null;
}

export function centerView(x: SubjectExportJson): CenterView {
  const first = (store: string) => x.data.find((p) => p.store === store)?.value;
  const state = first('subjects') as ExportedState | undefined;
  const objection = first('objections') as CenterView['objection'] | undefined;
  const records = x.data
    .filter((p) => p.store === 'consent_records')
    .map((p) => p.value as { record: ConsentRecord; notice_text: string | null })
    .sort((a, b) => a.record.event_time.localeCompare(b.record.event_time));
  const predictions = x.data
    .filter((p) => p.category === 'predictions')
    .map((p) => p.value as unknown as PredictionOut);
  return {
    state: state ?? null,
    objection: objection ?? null,
    records,
    predictions,
    ...groupPoints(x),
    exported: x,
  };
}

/** The receipt of an erasure as the API answers it (`DELETE /v1/subjects/{id}`). */
export interface ErasureAnswer {
  status: 'completed' | 'pending';
  erasure_id: string;
  receipt?: { removed?: Record<string, unknown>; completed?: string; duration_ms?: number };
  message?: string;
}

/** One line per place the erasure reached, with its count ("Ereignisse: 12"); `labels` names the places. */
export function receiptLines(answer: ErasureAnswer, labels: Readonly<Record<string, string>> = {}): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'number' || typeof v === 'boolean') out.push(`${labels[path] ?? path}: ${v}`);
    else if (typeof v === 'object' && v !== null && !Array.isArray(v))
      for (const [k, x] of Object.entries(v)) walk(x, path === '' ? k : `${path}.${k}`);
  };
  walk(answer.receipt?.removed ?? {}, '');
  return out;
}
