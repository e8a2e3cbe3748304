import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConsentUpdateRequest,
  issueCode,
  isVitrineError,
  MAX_CLOCK_SKEW_MS,
  ownRecord,
  parseEventBatch,
  presentFields,
  textProblem,
  type VitrineError,
} from '../src/index';

// Checks found missing by mutation testing (docs/mutation.md): how a whole event batch is
// refused (nothing of it is stored), and the edges of the text and key checks.

const NOW = Date.parse('2026-11-23T10:00:00Z');
const view = (over: Record<string, unknown> = {}) => ({
  type: 'view',
  subject_id: 'sub_a',
  session_id: 's1',
  item_id: 'sku-1',
  ...over,
});

function refused(body: unknown): VitrineError {
  try {
    parseEventBatch(body, NOW);
  } catch (e) {
    if (isVitrineError(e)) return e;
    throw e;
  }
  throw new Error('expected the batch to be refused');
}

describe('event batch', () => {
  it('a batch that is not {events: [...]} is refused as a whole, naming the field', () => {
    const e = refused({ events: [] });
    expect(e.toJSON().error).toMatchObject({ code: 'validation_failed', field: 'events' });
    expect(e.message).toMatch(/^The event batch is invalid: events: send at least one event/);
    expect(refused({}).field).toBe('events');
  });

  it('each event must be an object: null, arrays and scalars are named by their index', () => {
    const e = refused({ events: [view(), null, [1], 'view'] });
    expect(e.code).toBe('validation_failed');
    expect(e.issues).toEqual([
      { field: 'events[1]', message: 'each event must be a JSON object' },
      { field: 'events[2]', message: 'each event must be a JSON object' },
      { field: 'events[3]', message: 'each event must be a JSON object' },
    ]);
    expect(e.message).toBe(
      '3 problems in the event batch (first: events[1]: each event must be a JSON object). Nothing in this batch was stored; fix the listed fields and send it again.',
    );
  });

  it('unknown event types alone give the code unknown_event_type; with other problems validation_failed', () => {
    const only = refused({ events: [view({ type: 'click' }), view({ type: 7 })] });
    expect(only.code).toBe('unknown_event_type');
    expect(only.field).toBe('events[0].type');
    expect(only.issues).toEqual([
      {
        field: 'events[0].type',
        message:
          'unknown event type "click"; use one of view, search, add_to_cart, remove_from_cart, purchase',
        code: 'unknown_event_type',
      },
      {
        field: 'events[1].type',
        message: 'unknown event type 7; use one of view, search, add_to_cart, remove_from_cart, purchase',
        code: 'unknown_event_type',
      },
    ]);
    const mixed = refused({ events: [view({ type: 'click' }), view({ session_id: '' })] });
    expect(mixed.code).toBe('validation_failed');
    expect(mixed.issues?.map((i) => i.field)).toEqual(['events[0].type', 'events[1].session_id']);
  });

  it('one problem is one problem, not “problems”', () => {
    expect(refused({ events: [view({ session_id: '' })] }).message).toMatch(
      /^1 problem in the event batch \(first: events\[0\]\.session_id: session_id must not be empty\)/,
    );
  });

  it('an event from the future beyond the allowed clock skew is refused: its retention would run too long', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    expect(parseEventBatch({ events: [view({ ts: at(NOW + MAX_CLOCK_SKEW_MS) })] }, NOW)).toHaveLength(1);
    const e = refused({ events: [view(), view({ ts: at(NOW + MAX_CLOCK_SKEW_MS + 1000) })] });
    expect(e.issues).toEqual([
      { field: 'events[1].ts', message: 'ts lies in the future; send the time the event happened' },
    ]);
    // A past event, and one without ts (stamped on arrival), are fine.
    expect(parseEventBatch({ events: [view({ ts: at(NOW - 86_400_000) }), view()] }, NOW)).toHaveLength(2);
  });

  it('at most 100 issues are listed, the count says how many there were', () => {
    const events = Array.from({ length: 150 }, () => view({ session_id: '' }));
    const e = refused({ events });
    expect(e.issues).toHaveLength(100);
    expect(e.message).toMatch(/^150 problems in the event batch/);
  });

  it('parsed events keep their index and the field paths they were sent with, one level into context', () => {
    const parsed = parseEventBatch(
      { events: [view(), view({ context: { page: '/p', device: 'mobile' } })] },
      NOW,
    );
    expect(parsed.map((p) => p.index)).toEqual([0, 1]);
    expect(parsed[1]!.fields).toEqual([
      'type',
      'subject_id',
      'session_id',
      'item_id',
      'context.page',
      'context.device',
    ]);
  });
});

describe('present fields', () => {
  it('goes one level into a context object only', () => {
    expect(presentFields({ type: 'view', context: { page: '/', region: 'BY' } })).toEqual([
      'type',
      'context.page',
      'context.region',
    ]);
    expect(presentFields({ context: null })).toEqual(['context']);
    expect(presentFields({ context: ['page'] })).toEqual(['context']);
    expect(presentFields({ context: 'page' })).toEqual(['context']);
    expect(presentFields({ item: { id: 1 } })).toEqual(['item']);
  });
});

describe('text and key edges', () => {
  it('a string with both a NUL and a lone surrogate is refused for whichever comes first', () => {
    expect(textProblem('a\u0000b\ud800')).toMatch(/NUL character \(U\+0000\) at position 1/);
    expect(textProblem('\ud800a\u0000')).toMatch(/lone UTF-16 surrogate \(U\+D800\) at position 0/);
  });

  it('issueCode gives zod’s code for a custom issue that carries none of ours', () => {
    const r = z
      .string()
      .refine(() => false, 'no')
      .safeParse('x');
    expect(issueCode(r.error!.issues[0]!)).toBe('custom');
    const withOther = z
      .string()
      .refine(() => false, { message: 'no', params: { code: 42 } })
      .safeParse('x');
    expect(issueCode(withOther.error!.issues[0]!)).toBe('custom');
  });

  it('a keyed record that is not an object gets a validation issue, not a TypeError', () => {
    const record = ownRecord(z.string(), z.boolean());
    for (const input of [null, 'x', 3, [true]]) {
      const r = record.safeParse(input);
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.code).toBe('invalid_type');
    }
    const consent = ConsentUpdateRequest.safeParse({ level: 1, notice_version: 1, purposes: null });
    expect(consent.success).toBe(false);
    expect(consent.error!.issues[0]!.path).toEqual(['purposes']);
  });
});
