import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ConsentUpdateRequest,
  checkJsonContentType,
  ERROR_STATUS,
  EventInput,
  formatPath,
  fromZod,
  ItemInput,
  issueCode,
  isVitrineError,
  PredictionQuery,
  parseEventBatch,
  parseJsonBody,
  RecommendationQuery,
  textProblem,
  type VitrineError,
} from '../src/index';

const item0 = {
  id: 'sku-1',
  title: 'Kissen',
  price: 1,
  category_path: ['Wohnen'],
  attributes: { farbe: 'rot' },
};
const base = { subject_id: 'sub_a', session_id: 's1' };
const view = { ...base, type: 'view', item_id: 'sku-1', context: { page: '/', region: 'BY', referrer: 'r' } };
const search = { ...base, type: 'search', query: 'kissen' };
const purchase = {
  ...base,
  type: 'purchase',
  order_id: 'o1',
  lines: [{ item_id: 'sku-1', quantity: 1, price: 1 }],
};

type Case = [field: string, schema: z.ZodType, payload: (bad: string) => unknown];

/** Every stored string of the contracts (keys too), with a payload that puts `bad` into it. */
const FIELDS: Case[] = [
  ['title', ItemInput, (bad) => ({ ...item0, title: `Kis${bad}sen` })],
  ['category_path[0]', ItemInput, (bad) => ({ ...item0, category_path: [`Woh${bad}nen`] })],
  ['attributes.farbe', ItemInput, (bad) => ({ ...item0, attributes: { farbe: `r${bad}ot` } })],
  ['attributes.fa{bad}rbe', ItemInput, (bad) => ({ ...item0, attributes: { [`fa${bad}rbe`]: 'rot' } })],
  ['id', EventInput, (bad) => ({ ...view, id: `e${bad}1` })],
  ['session_id', EventInput, (bad) => ({ ...view, session_id: `s${bad}1` })],
  ['context.page', EventInput, (bad) => ({ ...view, context: { page: `/${bad}` } })],
  ['context.region', EventInput, (bad) => ({ ...view, context: { region: `B${bad}Y` } })],
  ['context.referrer', EventInput, (bad) => ({ ...view, context: { referrer: `r${bad}` } })],
  ['query', EventInput, (bad) => ({ ...search, query: `kis${bad}sen` })],
  ['order_id', EventInput, (bad) => ({ ...purchase, order_id: `o${bad}1` })],
  [
    'purposes.email{bad}offers',
    ConsentUpdateRequest,
    (bad) => ({ level: 1, notice_version: 1, purposes: { [`email${bad}offers`]: true } }),
  ],
  ['session_id', RecommendationQuery, (bad) => ({ session_id: `s${bad}1` })],
  ['category[0]', RecommendationQuery, (bad) => ({ category: [`Woh${bad}nen`] })],
  ['session_id', PredictionQuery, (bad) => ({ subject_id: 'sub_a', session_id: `s${bad}` })],
];

const BAD = {
  NUL: '\u0000',
  'a lone high surrogate': '\ud800',
  'a lone low surrogate': '\udc00',
  'a reversed pair': '\udc00\ud800',
};

describe('text (#11): NUL and lone surrogates are refused in every stored string, naming the field', () => {
  for (const [what, bad] of Object.entries(BAD)) {
    it.each(FIELDS)(`${what} in %s is refused with code invalid_text`, (field, schema, payload) => {
      const r = schema.safeParse(payload(bad));
      expect(r.success).toBe(false);
      const issue = r.error!.issues.find((i) => issueCode(i) === 'invalid_text');
      expect(issue).toBeDefined();
      expect(formatPath(issue!.path)).toBe(field.replace('{bad}', bad));
      expect(issue!.message).toMatch(/NUL|surrogate/);
      expect(issue!.message).toMatch(/remove it|send well-formed UTF-8/);
    });
  }

  it.each(FIELDS)(
    'well-formed text with surrogate pairs and accents is accepted in %s',
    (_field, schema, payload) => {
      expect(schema.safeParse(payload('ä😀€')).success).toBe(true);
    },
  );

  it('the message says where: the position of the first bad character', () => {
    expect(textProblem('ab\u0000')).toMatch(/NUL character \(U\+0000\) at position 2/);
    expect(textProblem('a😀\udbff')).toMatch(/lone UTF-16 surrogate \(U\+DBFF\) at position 3/);
    expect(textProblem('😀 Kissen')).toBeUndefined();
  });

  it('textProblem refuses exactly the strings that do not survive UTF-8 unchanged, and NUL', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const interesting = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '😀', 'a');
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(codeUnit, interesting) }), (s) => {
        const survives = Buffer.from(s, 'utf8').toString('utf8') === s;
        expect(textProblem(s) === undefined).toBe(survives && !s.includes('\u0000'));
      }),
      { numRuns: 2000 },
    );
  });

  it('the API error carries the stable code per field: fromZod and the event batch', () => {
    const item = ItemInput.safeParse({ ...item0, title: 'a\u0000' });
    const e = fromZod(item.error!, 'items[0]', 'item');
    expect(e.toJSON().error).toMatchObject({
      code: 'validation_failed',
      field: 'items[0].title',
      issues: [{ field: 'items[0].title', code: 'invalid_text' }],
    });
    const batch = thrown(() => parseEventBatch({ events: [{ ...view, session_id: 's\ud800' }] }, Date.now()));
    expect(batch.toJSON().error).toMatchObject({
      code: 'validation_failed',
      field: 'events[0].session_id',
      issues: [{ field: 'events[0].session_id', code: 'invalid_text' }],
    });
  });

  it('a category name may not contain U+001F, which the engine uses to join paths', () => {
    const r = ItemInput.safeParse({ ...item0, category_path: ['Wohnen\u001fKissen'] });
    expect(r.success).toBe(false);
    expect(formatPath(r.error!.issues[0]!.path)).toBe('category_path[0]');
    expect(issueCode(r.error!.issues[0]!)).toBe('invalid_text');
  });
});

function thrown(fn: () => unknown): VitrineError {
  try {
    fn();
  } catch (e) {
    if (isVitrineError(e)) return e;
    throw e;
  }
  throw new Error('expected a VitrineError');
}

describe('text (#11): JSON bodies are UTF-8', () => {
  it('unsupported_media_type is in the closed error map as 415', () => {
    expect(ERROR_STATUS.unsupported_media_type).toBe(415);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json; charset=utf8',
    'Application/JSON',
    'application/merge-patch+json; charset=utf-8',
  ])('accepts %j', (header) => {
    expect(checkJsonContentType(header)).toEqual({ ok: true });
  });

  it.each([
    'application/json; charset=latin1',
    'application/json; charset=ISO-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset="windows-1252"',
    'application/json; charset=utf-8; charset=latin1',
  ])('refuses a declared charset other than UTF-8 with 415: %j', (header) => {
    const r = checkJsonContentType(header);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('unsupported_media_type');
    expect(r.error.status).toBe(415);
    expect(r.error.field).toBe('content-type');
    expect(r.error.message).toMatch(/must be UTF-8. Encode the body as UTF-8/);
  });

  it.each([undefined, null, '', 'text/plain', 'application/jsonx', 'application/x-www-form-urlencoded'])(
    'refuses a body that is not declared as JSON with 415: %j',
    (header) => {
      const r = checkJsonContentType(header);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.toJSON().error).toMatchObject({ code: 'unsupported_media_type' });
    },
  );

  it('parseJsonBody decodes UTF-8, and refuses bytes that are not UTF-8 instead of storing U+FFFD', () => {
    const json = 'application/json';
    expect(parseJsonBody(json, Buffer.from('{"title":"Kissen ä 😀"}', 'utf8'))).toEqual({
      title: 'Kissen ä 😀',
    });
    expect(parseJsonBody(json, Buffer.from('\ufeff{"a":1}', 'utf8'))).toEqual({ a: 1 });
    const latin1 = thrown(() => parseJsonBody(json, Buffer.from('{"title":"Kä"}', 'latin1')));
    expect(latin1.toJSON().error).toMatchObject({ code: 'invalid_json', field: '(body)' });
    expect(latin1.message).toMatch(/not valid UTF-8/);
    // A surrogate encoded as if it were a character (CESU-8) is not UTF-8 either.
    const cesu = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    expect(thrown(() => parseJsonBody(json, cesu)).code).toBe('invalid_json');
    expect(thrown(() => parseJsonBody('application/json; charset=latin1', Buffer.from('{}'))).status).toBe(
      415,
    );
    expect(thrown(() => parseJsonBody(json, Buffer.from('{"a":'))).message).toMatch(/not valid JSON/);
  });
});
