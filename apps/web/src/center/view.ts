/**
 * Reads the subject's export (`GET /v1/subjects/{id}/export?format=json`) into what the privacy
 * center lists: every data point with its category, source, purposes and expiry, and the
 * exclusions ("don't use this"). Pure, so that a unit test can hold it to the export's shape.
 */
export interface DataPoint {
  /** The event id the API removes it by; null when it cannot be removed on its own. */
  id: string | null;
  category: string;
  /** What it is, in words: the item's title (or id), the search, the order. */
  what: string;
  itemId: string | null;
  at: string | null;
  source: string | null;
  purposes: string[];
  /** When it is deleted; null: at the end of the visit. */
  expiresAt: string | null;
}

export interface Exclusion {
  id: string;
  label: string;
}

export interface ExportView {
  points: DataPoint[];
  exclusions: Exclusion[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

function describe(e: Obj): string {
  const title = str(e.item_title) ?? str(e.title) ?? str(e.item_id);
  const data = isObj(e.data) ? e.data : e;
  const query = str(data.query);
  const order = str(e.order_id);
  const parts = [str(e.type), title, query === null ? null : `„${query}“`, order].filter((x) => x !== null);
  return parts.join(' · ') || str(e.id) || '?';
}

/** The data points and exclusions of an export, whatever optional sections it has. */
export function exportView(exported: unknown): ExportView {
  const root = isObj(exported) ? exported : {};
  const events = list(root.events ?? root.data_points);
  const points = events.map(
    (e): DataPoint => ({
      id: str(e.id) ?? str(e.event_id),
      category: str(e.category) ?? 'other',
      what: describe(e),
      itemId: str(e.item_id),
      at: str(e.ts) ?? str(e.at) ?? str(e.time),
      source: str(e.source),
      purposes: strings(e.purposes ?? e.purpose),
      expiresAt: str(e.expires_at) ?? str(e.expiry),
    }),
  );
  const exclusions = list(root.exclusions).map(
    (x): Exclusion => ({
      id: str(x.id) ?? '',
      label: str(x.item_title) ?? str(x.item_id) ?? str(x.category) ?? str(x.id) ?? '?',
    }),
  );
  return { points, exclusions: exclusions.filter((x) => x.id !== '') };
}

export type Receipt = Record<string, unknown>;

/** One line per store the erasure reached, with its count, from the receipt. */
export function receiptLines(receipt: Receipt): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'number' || typeof v === 'boolean') out.push(`${path}: ${v}`);
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, path === '' ? k : `${path}.${k}`);
  };
  walk(receipt.removed ?? receipt, '');
  return out;
}
