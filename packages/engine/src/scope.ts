import type { Models } from './models/models';
import type { Interaction, InteractionType, Level, SubjectView } from './types';

/** An interaction the view allows, resolved against the item table (`item` is -1 if unknown). */
export interface ScopedEvent {
  item: number;
  id: string;
  ts: number;
  type: InteractionType;
  category: string;
  session: string;
}

/**
 * What the engine may use about the subject. This is the only place that reads a `SubjectView`:
 * level 0 yields nothing, level 1 the session, level 2 also the history, level 3 also predictions,
 * and in every case only interactions whose category is allowed (defence in depth).
 */
export interface Scope {
  level: Level;
  purposeOf: Readonly<Record<string, string>>;
  /** session events first, then history events; reasons point into this list */
  events: ScopedEvent[];
  sessionCount: number;
  predictions: boolean;
}

export function scopeOf(models: Models, view: SubjectView): Scope {
  const events: ScopedEvent[] = [];
  if (view.level >= 1) take(models, view, view.session, events);
  const sessionCount = events.length;
  if (view.level >= 2) take(models, view, view.history, events);
  return {
    level: view.level,
    purposeOf: view.level >= 1 ? view.purposeOf : {},
    events,
    sessionCount,
    predictions: view.level >= 3 && view.predictions,
  };
}

/** Appends the allowed interactions of `list` to `events`, in stable time order within the part. */
function take(models: Models, view: SubjectView, list: readonly Interaction[], events: ScopedEvent[]): void {
  const start = events.length;
  for (const it of list) {
    if (!view.allowedCategories.has(it.category)) continue;
    events.push({
      item: models.items.idx(it.item) ?? -1,
      id: it.item,
      ts: it.ts,
      type: it.type,
      category: it.category,
      session: it.session,
    });
  }
  // stable time order within each part
  const part = events.splice(start).sort(byTime);
  events.push(...part);
}

const byTime = (a: ScopedEvent, b: ScopedEvent) => a.ts - b.ts;

/** Event indices of the items in the cart at the end of the session (added and not removed). */
export function cartOf(scope: Scope): number[] {
  const cart = new Map<string, number>();
  for (let e = 0; e < scope.sessionCount; e++) {
    const ev = scope.events[e]!;
    if (ev.type === 'add_to_cart') cart.set(ev.id, e);
    else if (ev.type === 'remove_from_cart') cart.delete(ev.id);
  }
  return [...cart.values()];
}
