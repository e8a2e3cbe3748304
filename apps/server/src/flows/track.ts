import { allowsEvent, type EventGate } from '@vitrine/consent';
import {
  countNames,
  EVENT_ENVELOPE_FIELDS,
  EVENT_FIELDS,
  type EventBatchResponse,
  type EventInput,
  type EventType,
  newTimeId,
  type ParsedEvent,
} from '@vitrine/contracts';
import { addDuration, sha256Hex } from '@vitrine/policy';
import type { EventRow, SessionRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import { toInteractions } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { type SubjectConsent, subjectConsent } from './subject-consent';

const ENVELOPE = new Set<string>(EVENT_ENVELOPE_FIELDS);

const withoutIds = (rows: readonly EventRow[], ids: ReadonlySet<string>): EventRow[] =>
  rows.filter((r) => !ids.has(r.id));

/** Keeps only the fields the policy declares and the subject's consent allows (minimisation). */
function minimise(
  e: EventInput,
  keep: readonly string[],
  kept: ReadonlySet<string>,
  removed: string[],
): Record<string, unknown> | null {
  for (const f of EVENT_FIELDS[e.type])
    if (!kept.has(f) && fieldValue(e, f) !== undefined && !removed.includes(f)) removed.push(f);
  const data: Record<string, unknown> = {};
  const context: Record<string, unknown> = {};
  for (const field of keep) {
    const v = fieldValue(e, field);
    if (v === undefined) continue;
    if (field.startsWith('context.')) context[field.slice(8)] = v;
    else if (field === 'query' || field === 'results' || field === 'currency') data[field] = v;
  }
  if (Object.keys(context).length > 0) data.context = context;
  return Object.keys(data).length > 0 ? data : null;
}

function fieldValue(e: EventInput, field: string): unknown {
  if (field.startsWith('context.'))
    return (e.context as Record<string, unknown> | undefined)?.[field.slice(8)];
  return (e as Record<string, unknown>)[field];
}

/** A stored row, built as one literal (no object spread): this runs per event on the hot path. */
function eventRow(
  shopId: string,
  e: EventInput,
  category: string,
  data: string | null,
  ts: number,
  expiresAt: number | null,
  id: string,
  itemId: string | null,
  quantity: number | null,
  price: number | null,
  orderId: string | null,
): EventRow {
  return {
    shopId,
    id,
    subjectId: e.subject_id,
    sessionId: e.session_id,
    type: e.type,
    category,
    itemId,
    quantity,
    price,
    orderId,
    data,
    ts,
    expiresAt,
    sessionScoped: expiresAt === null,
  };
}

/** Field paths sent that the policy does not declare for the event's type: minimisation removes them. */
function undeclared(rt: ShopRuntime, parsed: readonly ParsedEvent[]): string[][] {
  const declared = new Map<EventType, ReadonlySet<string>>();
  return parsed.map(({ event, fields }) => {
    let keep = declared.get(event.type);
    if (keep === undefined) {
      keep = new Set((rt.compiled.events.get(event.type)?.fields ?? []).map((f) => f.field));
      declared.set(event.type, keep);
    }
    const set = keep;
    return fields.filter((f) => !ENVELOPE.has(f) && !set.has(f));
  });
}

/**
 * The consent-gated ingestion path for a validated batch: check each event against its
 * subject's current consent, minimise, set expiry, store durably, then let the models learn.
 * With `idSeed` (an idempotent request), events sent without an id get ids derived from the
 * seed and their place in the batch, so running the same batch again stores nothing twice.
 */
export async function track(
  deps: Deps,
  rt: ShopRuntime,
  parsed: readonly ParsedEvent[],
  opts: { idSeed?: string } = {},
): Promise<EventBatchResponse> {
  const now = deps.clock.now();
  const removedOf = undeclared(rt, parsed);
  const shopId = rt.shop.id;
  const subjectIds = [...new Set(parsed.map((p) => p.event.subject_id))];
  const consents = await subjectConsent(deps, rt, subjectIds);

  const rows: EventRow[] = [];
  const sessions = new Map<string, SessionRow>();
  const drops: EventBatchResponse['drops'] = [];
  const reasons: EventBatchResponse['dropped_reasons'] = {};
  // Field names are the client's: `constructor` must count like any other name.
  const removedFields = countNames([]);
  const aggregateRows: EventRow[] = [];
  let accepted = 0;

  // One gate per subject and event type in a batch: the answer cannot differ within it.
  const gates = new Map<string, { gate: EventGate; declared: ReadonlySet<string> }>();
  const gateFor = (subject: string, type: EventType, consent: SubjectConsent) => {
    const key = `${subject}\u0000${type}`;
    let g = gates.get(key);
    if (g === undefined) {
      const gate = allowsEvent(consent.state, rt.compiled, type);
      g = { gate, declared: new Set(gate.allowed ? gate.fields : []) };
      gates.set(key, g);
    }
    return g;
  };

  for (let p = 0; p < parsed.length; p++) {
    const { index, event: e } = parsed[p]!;
    const removed = removedOf[p]!;
    const consent = consents.get(e.subject_id)!;
    const { gate, declared } = gateFor(e.subject_id, e.type, consent);
    if (!gate.allowed) {
      drops.push({ index, reason: gate.reason, category: gate.category });
      reasons[gate.reason] = (reasons[gate.reason] ?? 0) + 1;
      continue;
    }
    accepted++;
    const dataOf = minimise(e, gate.fields, declared, removed);
    countNames(removed, removedFields);
    const ts = e.ts !== undefined ? Date.parse(e.ts) : now;
    const expiresAt = gate.retention === null ? null : addDuration(ts, gate.retention);
    const baseId =
      e.id !== undefined
        ? `evt_${sha256Hex(`${shopId}\u0000${e.id}`).slice(0, 24)}`
        : opts.idSeed !== undefined
          ? `evt_${sha256Hex(`${opts.idSeed}\u0000${index}`).slice(0, 24)}`
          : newTimeId('event', now);
    const data = dataOf === null ? null : JSON.stringify(dataOf);
    const row = (
      id: string,
      itemId: string | null,
      quantity: number | null,
      price: number | null,
      orderId: string | null,
    ) => eventRow(shopId, e, gate.category, data, ts, expiresAt, id, itemId, quantity, price, orderId);
    const eventRows: EventRow[] = [];
    if (e.type === 'purchase') {
      const orderId = declared.has('order_id') ? e.order_id : null;
      if (declared.has('lines')) {
        for (let i = 0; i < e.lines.length; i++) {
          const l = e.lines[i]!;
          eventRows.push(row(`${baseId}.${i}`, l.item_id, l.quantity, l.price, orderId));
        }
      } else eventRows.push(row(baseId, null, null, null, orderId));
    } else {
      const itemId = 'item_id' in e && declared.has('item_id') ? e.item_id : null;
      const quantity = 'quantity' in e && declared.has('quantity') ? e.quantity : null;
      eventRows.push(row(baseId, itemId, quantity, null, null));
    }
    for (const r of eventRows) {
      rows.push(r);
      if (consent.aggregate) aggregateRows.push(r);
    }
    const sessionKey = `${e.subject_id}\u0000${e.session_id}`;
    const s = sessions.get(sessionKey);
    if (!s || s.lastSeen < ts)
      sessions.set(sessionKey, { shopId, id: e.session_id, subjectId: e.subject_id, lastSeen: ts });
  }

  const skipped: string[] = [];
  const inserted =
    rows.length > 0 ? await deps.store.events.insert(rows, [...sessions.values()], skipped) : 0;
  const duplicates = rows.length - inserted;
  if (duplicates > 0) reasons.duplicate = duplicates;
  // Real-time: the shared models learn the new events at once, each exactly once: rows the
  // store already held (a retried batch) are left out. Only a batch that repeats an id within
  // itself cannot tell which of its rows was stored, and the models are rebuilt instead.
  if (aggregateRows.length > 0) {
    const fresh = skipped.length === 0 ? aggregateRows : withoutIds(aggregateRows, new Set(skipped));
    if (rows.length - skipped.length === inserted) {
      if (fresh.length > 0) deps.models.learned(rt, toInteractions(fresh));
    } else deps.models.rebuild(shopId);
  }
  const notes: string[] = [];
  if (reasons.no_consent)
    notes.push(
      `${reasons.no_consent} event(s) not stored: their subject has not allowed that data (level 0 or the purpose is off). Record the customer's choice first with PUT /v1/subjects/{id}/consent.`,
    );
  if (reasons.paused)
    notes.push(`${reasons.paused} event(s) not stored: the customer has paused personalization.`);
  if (reasons.duplicate)
    notes.push(`${reasons.duplicate} row(s) were already stored under the same event id.`);
  return {
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    accepted: accepted,
    dropped: drops.length,
    dropped_reasons: reasons,
    drops: drops.slice(0, 1000),
    removed_fields: removedFields,
  };
}
