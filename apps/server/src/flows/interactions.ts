import type { Interaction } from '@vitrine/engine';
import type { EventRow } from '@vitrine/storage';

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
