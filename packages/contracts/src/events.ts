import { z } from 'zod';
import { ITEM_ID } from './catalog';
import { type FieldIssue, formatPath, VitrineError } from './errors';
import { SUBJECT_ID_PATTERN } from './ids';
import { issueCode, text } from './text';
import { fromZod } from './validation';

export const EVENT_TYPES = ['view', 'search', 'add_to_cart', 'remove_from_cart', 'purchase'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SubjectId = z
  .string()
  .regex(
    SUBJECT_ID_PATTERN,
    'subject id must look like sub_… (1–64 letters, digits, _ or - after the prefix)',
  );

const timestamp = z.iso.datetime({
  offset: true,
  message: 'ts must be an ISO 8601 time, e.g. 2026-11-23T10:00:00Z',
});

/** Optional context a shop may send; the policy decides which of these fields are kept. */
const Context = z
  .object({
    page: text().max(500).optional(),
    device: z.enum(['desktop', 'mobile', 'tablet', 'other']).optional(),
    region: text().max(64).optional(),
    referrer: text().max(500).optional(),
  })
  .partial();

const base = {
  id: text().min(1).max(128).optional(),
  subject_id: z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'subject_id is missing: name the subject (with the public key and its X-Vitrine-Subject token it may be left out)'
          : 'subject_id must be a string such as sub_…',
    })
    .regex(
      SUBJECT_ID_PATTERN,
      'subject id must look like sub_… (1–64 letters, digits, _ or - after the prefix)',
    ),
  session_id: text().min(1, 'session_id must not be empty').max(128),
  ts: timestamp.optional(),
  context: Context.optional(),
};

export const ViewEvent = z.object({ ...base, type: z.literal('view'), item_id: ITEM_ID });
export const SearchEvent = z.object({
  ...base,
  type: z.literal('search'),
  query: text().trim().min(1, 'query must not be empty').max(200),
  results: z.array(ITEM_ID).max(100).optional(),
});
export const CartEvent = z.object({
  ...base,
  type: z.enum(['add_to_cart', 'remove_from_cart']),
  item_id: ITEM_ID,
  quantity: z.number().int().positive().max(10_000).default(1),
});
export const OrderLine = z.object({
  item_id: ITEM_ID,
  quantity: z.number().int().positive().max(10_000),
  price: z.number().finite().nonnegative(),
});
export const PurchaseEvent = z.object({
  ...base,
  type: z.literal('purchase'),
  order_id: text().min(1).max(128),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('EUR'),
  lines: z.array(OrderLine).min(1, 'a purchase needs at least one order line').max(500),
});

export const EventInput = z.discriminatedUnion('type', [ViewEvent, SearchEvent, CartEvent, PurchaseEvent]);
export type EventInput = z.output<typeof EventInput>;

/** Fields of each event type that the policy may declare; anything else is dropped at the edge. */
const CONTEXT_FIELDS = ['context.page', 'context.device', 'context.region', 'context.referrer'] as const;

export const EVENT_FIELDS: Record<EventType, readonly string[]> = {
  view: ['item_id', ...CONTEXT_FIELDS],
  search: ['query', 'results', ...CONTEXT_FIELDS],
  add_to_cart: ['item_id', 'quantity', ...CONTEXT_FIELDS],
  remove_from_cart: ['item_id', 'quantity', ...CONTEXT_FIELDS],
  purchase: ['order_id', 'currency', 'lines', ...CONTEXT_FIELDS],
};

/**
 * The field paths present in a raw event, one level into `context`, for counting what
 * minimisation removes. Own keys only: a field named `constructor` or `__proto__` is a field
 * like any other (count them with `countNames`).
 */
export function presentFields(raw: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(raw)) {
    const v = raw[k];
    if (k === 'context' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const ck of Object.keys(v)) out.push(`context.${ck}`);
    } else out.push(k);
  }
  return out;
}

/** Fields every event needs to be processed at all; they are not subject to minimisation. */
export const EVENT_ENVELOPE_FIELDS = ['id', 'type', 'subject_id', 'session_id', 'ts'] as const;

export const MAX_EVENTS_PER_BATCH = 5_000;

export const EventBatch = z.object({
  events: z.array(z.unknown()).min(1, 'send at least one event').max(MAX_EVENTS_PER_BATCH),
});

export const DropReason = z.enum(['no_consent', 'paused', 'duplicate']);

export const EventBatchResponse = z.object({
  accepted: z.number().int(),
  dropped: z.number().int(),
  dropped_reasons: z.partialRecord(DropReason, z.number().int()),
  /** Per dropped event: index in the batch and the reason. */
  drops: z.array(z.object({ index: z.number().int(), reason: DropReason, category: z.string() })),
  /** Fields removed by data minimisation (not declared by the policy), with counts. */
  removed_fields: z.record(z.string(), z.number().int()),
  /** Plain words on what was not stored and what to do about it; absent when all was stored. */
  note: z.string().optional(),
});
export type EventBatchResponse = z.infer<typeof EventBatchResponse>;

/** Events further in the future than this are refused: a wrong clock would otherwise keep data too long. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const KNOWN_TYPES = new Set<string>(EVENT_TYPES);

/** One valid event of a batch: its place in the batch, the parsed event, and every field path it was sent with. */
export interface ParsedEvent {
  index: number;
  event: EventInput;
  /** Field paths as sent, one level into `context` (minimisation reports what it removes from these). */
  fields: string[];
}

/**
 * Validates a whole event batch as received at `now`; any invalid event refuses the batch,
 * naming every offending field. `subject` is the subject the caller's token names (public key):
 * an event without `subject_id` is that subject's, so a browser need not repeat it.
 */
export function parseEventBatch(body: unknown, now: number, opts: { subject?: string } = {}): ParsedEvent[] {
  const envelope = EventBatch.safeParse(body);
  if (!envelope.success) throw fromZod(envelope.error, '', 'event batch');
  const issues: FieldIssue[] = [];
  let unknownTypes = 0;
  const parsed: ParsedEvent[] = [];
  envelope.data.events.forEach((raw, index) => {
    const at = `events[${index}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push({ field: at, message: 'each event must be a JSON object' });
      return;
    }
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      unknownTypes++;
      issues.push({
        field: `${at}.type`,
        message: `unknown event type ${JSON.stringify(type)}; use one of ${EVENT_TYPES.join(', ')}`,
        code: 'unknown_event_type',
      });
      return;
    }
    const withSubject =
      opts.subject !== undefined && (raw as { subject_id?: unknown }).subject_id === undefined
        ? { ...raw, subject_id: opts.subject }
        : raw;
    const r = EventInput.safeParse(withSubject);
    if (!r.success) {
      for (const i of r.error.issues)
        issues.push({ field: formatPath(i.path, at), message: i.message, code: issueCode(i) });
      return;
    }
    if (r.data.ts !== undefined && Date.parse(r.data.ts) > now + MAX_CLOCK_SKEW_MS) {
      issues.push({ field: `${at}.ts`, message: 'ts lies in the future; send the time the event happened' });
      return;
    }
    parsed.push({ index, event: r.data, fields: presentFields(raw as Record<string, unknown>) });
  });
  if (issues.length > 0) {
    const onlyTypes = unknownTypes === issues.length;
    const first = issues[0]!;
    throw new VitrineError(
      onlyTypes ? 'unknown_event_type' : 'validation_failed',
      `${issues.length} problem${issues.length > 1 ? 's' : ''} in the event batch (first: ${first.field}: ${first.message}). Nothing in this batch was stored; fix the listed fields and send it again.`,
      { field: first.field, issues: issues.slice(0, 100) },
    );
  }
  return parsed;
}
