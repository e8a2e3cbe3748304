import type { ConsentState } from '@vitrine/consent';
import type { CatalogItem, Interaction } from '@vitrine/engine';
import type { EventRow, ItemRow, SubjectRow } from '@vitrine/storage';

/** Stored rows as the domain packages see them, and back: the one place the two shapes meet. */

export function rowToState(row: SubjectRow): ConsentState {
  return {
    subjectId: row.id,
    level: row.level,
    purposes: row.purposes,
    noticeVersion: row.noticeVersion,
    gpc: row.gpc,
    paused: row.paused,
    dpvState: row.dpvState,
    validUntil: row.validUntil,
    purposeScopes: row.purposeScopes,
  };
}

export function stateToRow(shopId: string, s: ConsentState, createdAt: number, now: number): SubjectRow {
  return {
    shopId,
    id: s.subjectId,
    level: s.level,
    purposes: s.purposes,
    noticeVersion: s.noticeVersion,
    gpc: s.gpc,
    paused: s.paused,
    dpvState: s.dpvState,
    validUntil: s.validUntil,
    purposeScopes: s.purposeScopes,
    createdAt,
    updatedAt: now,
  };
}

/** Stored events as the engine sees them: item interactions only (searches carry no item). */
export function toInteractions(rows: Iterable<EventRow>): Interaction[] {
  const out: Interaction[] = [];
  for (const r of rows) {
    if (r.itemId === null || r.type === 'search') continue;
    const i: Interaction = {
      subject: r.subjectId,
      session: r.sessionId,
      item: r.itemId,
      type: r.type,
      ts: r.ts,
      category: r.category,
    };
    if (r.quantity !== null) i.quantity = r.quantity;
    out.push(i);
  }
  return out;
}

export function toCatalogItem(r: ItemRow): CatalogItem {
  return { id: r.id, title: r.title, categoryPath: r.categoryPath, price: r.price, available: r.available };
}
