import { bandWord } from '@vitrine/engine';
import { addDuration } from '@vitrine/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildModels } from '../../apps/server/src/runtime/shop-runtime';
import { consentTo, drivers, type Harness, openHarness } from './harness';

const ITEMS = [
  { id: 'tee-1', title: 'Teekanne Aurora', category_path: ['Küche', 'Teekannen'], price: 39.95 },
  { id: 'tee-2', title: 'Teetasse Aurora', category_path: ['Tisch', 'Tassen'], price: 9.95 },
  { id: 'tee-3', title: 'Grüner Tee Sencha', category_path: ['Küche', 'Tee'], price: 6.95 },
  { id: 'ker-1', title: 'Duftkerze Winterwald', category_path: ['Wohnen', 'Kerzen'], price: 14.95 },
  {
    id: 'ker-2',
    title: 'Kerzenhalter Messing',
    category_path: ['Wohnen', 'Kerzen'],
    price: 24.95,
    available: false,
  },
  { id: 'vas-1', title: 'Vase Nordlicht', category_path: ['Deko', 'Vasen'], price: 29.95 },
];

describe.each(drivers())('recommendations over HTTP (%s)', (driver) => {
  let h: Harness;
  const key = () => h.shop.secretKey;
  const get = (q: string) => h.request(`/v1/recommendations?${q}`, { key: key() });

  beforeAll(async () => {
    h = await openHarness(driver);
    await h.request('/v1/items', { key: key(), body: { items: ITEMS } });
    const events: unknown[] = [];
    // Twelve customers with history: teapot buyers also buy cups; candles go with holders.
    for (let i = 0; i < 12; i++) {
      const s = `sub_hist${i}`;
      await consentTo(h, s, 2);
      const at = (m: number) => new Date(h.clock.now - (12 - i) * 3_600_000 + m * 60_000).toISOString();
      const lines =
        i % 3 === 2
          ? [
              { item_id: 'ker-1', quantity: 1, price: 14.95 },
              { item_id: 'ker-2', quantity: 1, price: 24.95 },
            ]
          : [
              { item_id: 'tee-1', quantity: 1, price: 39.95 },
              { item_id: 'tee-2', quantity: 2, price: 9.95 },
            ];
      events.push(
        { type: 'view', subject_id: s, session_id: `ses_h${i}`, item_id: lines[0]!.item_id, ts: at(0) },
        { type: 'view', subject_id: s, session_id: `ses_h${i}`, item_id: lines[1]!.item_id, ts: at(1) },
        { type: 'purchase', subject_id: s, session_id: `ses_h${i}`, order_id: `o${i}`, lines, ts: at(2) },
      );
    }
    const r = await h.request('/v1/events', { key: key(), body: { events } });
    expect(r.body.dropped).toBe(0);
  });
  afterAll(() => h.close());

  it('trending lists what consenting customers did, non-personal, with a reason in German and English', async () => {
    const de = await get('scenario=trending&limit=3');
    expect(de.status).toBe(200);
    expect(de.body).toMatchObject({ scenario: 'trending', level: 0, personalized: false });
    expect(de.body.items.map((i: { id: string }) => i.id)).toContain('tee-1');
    const reason = de.body.items[0].reasons[0];
    expect(reason).toMatchObject({ kind: 'popular_now', category: null, purpose: null });
    expect(reason.text.length).toBeGreaterThan(5);
    const en = await get('scenario=trending&limit=3&language=en');
    expect(en.body.items[0].reasons[0].text).not.toBe(reason.text);
  });

  it('similar and bought-together answer from aggregate counts for the page item', async () => {
    const bt = await get('scenario=bought_together&item_id=tee-1&limit=3');
    expect(bt.status).toBe(200);
    expect(bt.body.items[0].id).toBe('tee-2');
    expect(bt.body.items[0].title).toBe('Teetasse Aurora');
    const sim = await get('scenario=similar&item_id=ker-1&limit=3');
    expect(sim.body.items.map((i: { id: string }) => i.id)).toContain('ker-2');
    expect(sim.body.items.map((i: { id: string }) => i.id)).not.toContain('ker-1');
  });

  it('filters: in stock, price range, category and exclusions', async () => {
    const r = await get('scenario=similar&item_id=ker-1&in_stock=true');
    expect(r.body.items.map((i: { id: string }) => i.id)).not.toContain('ker-2');
    const price = await get('scenario=trending&min_price=10&max_price=30&limit=10');
    for (const i of price.body.items) expect(i.price).toBeGreaterThanOrEqual(10);
    for (const i of price.body.items) expect(i.price).toBeLessThanOrEqual(30);
    const cat = await get('scenario=trending&category=Küche&limit=10');
    for (const i of cat.body.items) expect(i.category_path[0]).toBe('Küche');
    const ex = await get('scenario=trending&exclude=tee-1,tee-2&limit=10');
    expect(ex.body.items.map((i: { id: string }) => i.id)).not.toContain('tee-1');
  });

  it('a new event changes that customer’s next answer at once', async () => {
    await consentTo(h, 'sub_live', 1);
    const before = await get('scenario=for_you&subject_id=sub_live&session_id=ses_live&limit=3');
    await h.request('/v1/events', {
      key: key(),
      body: { events: [{ type: 'view', subject_id: 'sub_live', session_id: 'ses_live', item_id: 'ker-1' }] },
    });
    const after = await get('scenario=for_you&subject_id=sub_live&session_id=ses_live&limit=3');
    expect(before.body).toMatchObject({ level: 1, personalized: false });
    expect(after.body).toMatchObject({ level: 1, personalized: true });
    expect(after.body.items).not.toEqual(before.body.items);
    const personal = after.body.items
      .flatMap(
        (i: { reasons: { kind: string; category: string | null; purpose: string | null; text: string }[] }) =>
          i.reasons,
      )
      .find((r: { category: string | null }) => r.category !== null);
    expect(personal).toMatchObject({ category: 'browsing', purpose: 'session_personalization' });
    expect(personal.text).toMatch(/Duftkerze Winterwald/);
  });

  it('for_you does not bring back a teapot bought seconds ago: nobody re-buys it (levels 2 and 3)', async () => {
    for (const level of [2, 3] as const) {
      const s = `sub_teapot${level}`;
      await consentTo(h, s, level);
      const purchase = {
        type: 'purchase',
        subject_id: s,
        session_id: `ses_t${level}`,
        order_id: `o-t${level}`,
        lines: [{ item_id: 'tee-1', quantity: 1, price: 39.95 }],
      };
      await h.request('/v1/events', { key: key(), body: { events: [purchase] } });
      for (const session of [`&session_id=ses_t${level}`, '']) {
        const r = await get(`scenario=for_you&subject_id=${s}${session}&limit=6`);
        expect(r.body.level).toBe(level);
        const ids = r.body.items.map((i: { id: string }) => i.id);
        expect(ids, `level ${level}${session}`).not.toContain('tee-1');
        // What goes with it is still suggested, because of that purchase.
        expect(ids).toContain('tee-2');
      }
    }
  });

  it('T4: non_personalized=true gives the level-0 answer whatever the consent', async () => {
    const r = await get(
      'scenario=for_you&subject_id=sub_live&session_id=ses_live&limit=3&non_personalized=true',
    );
    expect(r.body.level).toBe(0);
    const neutral = await get('scenario=for_you&limit=3');
    expect(r.body.items).toEqual(neutral.body.items);
  });

  it('every scenario answers over GET and POST, each item with reasons', async () => {
    for (const scenario of ['similar', 'bought_together', 'trending', 'for_you', 'next_best_offer']) {
      const body = { scenario, subject_id: 'sub_hist0', item_id: 'tee-1', limit: 3, language: 'en' };
      const post = await h.request('/v1/recommendations', { key: key(), body });
      expect(post.status, scenario).toBe(200);
      expect(post.body.scenario).toBe(scenario);
      const viaGet = await get(`scenario=${scenario}&subject_id=sub_hist0&item_id=tee-1&limit=3&language=en`);
      expect(viaGet.body.items, scenario).toEqual(post.body.items);
      for (const item of post.body.items)
        expect(item.reasons.length, `${scenario} ${item.id}`).toBeGreaterThan(0);
    }
  });

  it('rank returns exactly the given items, re-ordered', async () => {
    const r = await h.request('/v1/rank', {
      key: key(),
      body: { subject_id: 'sub_hist0', items: ['vas-1', 'unknown-9', 'tee-2', 'tee-1'] },
    });
    expect(r.status).toBe(200);
    expect([...r.body.items.map((i: { id: string }) => i.id)].sort()).toEqual([
      'tee-1',
      'tee-2',
      'unknown-9',
      'vas-1',
    ]);
  });

  it('rank: every item carries a reason, "nothing personal applies" where none does (secret and public key)', async () => {
    const items = ['vas-1', 'unknown-9', 'tee-2', 'tee-1'];
    // Secret key, a level-2 customer who bought the teapot set; public key, a fresh browser subject.
    const created = await h.request('/v1/subjects', { key: h.shop.publicKey, method: 'POST' });
    const answers = [
      await h.request('/v1/rank', { key: key(), body: { subject_id: 'sub_hist0', items, language: 'en' } }),
      await h.request('/v1/rank', {
        key: h.shop.publicKey,
        headers: { 'x-vitrine-subject': created.body.token as string },
        body: { items },
      }),
    ];
    for (const [n, r] of answers.entries()) {
      expect(r.status).toBe(200);
      for (const item of r.body.items) {
        expect(item.reasons.length, item.id).toBeGreaterThan(0);
        for (const reason of item.reasons) expect(reason.text.length).toBeGreaterThan(5);
      }
      const byId = new Map(r.body.items.map((i: { id: string }) => [i.id, i]));
      // Never seen by anyone (vas-1) or unknown to the shop: said plainly, non-personal.
      for (const id of ['vas-1', 'unknown-9']) {
        expect(byId.get(id), id).toMatchObject({
          score: 0,
          reasons: [
            {
              kind: 'shop_order',
              category: null,
              purpose: null,
              text:
                n === 0
                  ? "Nothing personal applies to this item: it follows in the shop's order"
                  : 'Für diesen Artikel gilt nichts Persönliches: Er folgt in der Reihenfolge des Shops',
            },
          ],
        });
      }
    }
    // The level-2 customer's answer rests on their data; the new subject's does not, and says so.
    expect(answers[0]!.body.personalized).toBe(true);
    expect(answers[1]!.body).toMatchObject({ level: 0, personalized: false });
    for (const item of answers[1]!.body.items)
      for (const reason of item.reasons) expect(reason.category).toBeNull();
  });

  it('bad requests name the field: unknown scenario, missing item_id, bad price range', async () => {
    const a = await get('scenario=mystery');
    expect(a.status).toBe(400);
    expect(a.body.error.field).toBe('scenario');
    const b = await get('scenario=similar');
    expect(b.body.error.field).toBe('item_id');
    const c = await get('scenario=trending&min_price=50&max_price=10');
    expect(c.body.error.field).toBe('min_price');
  });
  it('shared models learn only from customers who allow aggregate_models, and forget them exactly on withdrawal', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    const before = rt.models.fingerprint();
    await consentTo(h, 'sub_session_only', 1);
    const buy = (s: string) => ({
      events: [{ type: 'view', subject_id: s, session_id: `ses_${s}`, item_id: 'vas-1' }],
    });
    await h.request('/v1/events', { key: key(), body: buy('sub_session_only') });
    expect(rt.models.fingerprint()).toBe(before);

    await consentTo(h, 'sub_shared', 2);
    await h.request('/v1/events', { key: key(), body: buy('sub_shared') });
    expect(rt.models.fingerprint()).not.toBe(before);

    // Withdrawal: the subject leaves the models at once, exactly as if never seen.
    const notice = (await h.request('/v1/notice', { key: key() })).body;
    await h.request('/v1/subjects/sub_shared/consent', {
      method: 'PUT',
      key: key(),
      body: { level: 1, notice_version: notice.version, method: 'save' },
    });
    expect(rt.models.fingerprint()).toBe(before);
    const rebuilt = await rebuildModels(
      h.vitrine.store,
      { id: h.shop.shopId, notice: rt.notice, compiled: rt.compiled },
      [...rt.catalog.values()],
      h.clock.now,
    );
    expect(rt.models.fingerprint()).toBe(rebuilt.fingerprint());
  });

  it('the derived model is recomputed in a worker thread, equal to a rebuild', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    await consentTo(h, 'sub_worker', 2);
    await h.request('/v1/events', {
      key: key(),
      body: {
        events: [
          {
            type: 'purchase',
            subject_id: 'sub_worker',
            session_id: 'ses_w',
            order_id: 'ow',
            lines: [
              { item_id: 'tee-1', quantity: 1, price: 39.95 },
              { item_id: 'tee-3', quantity: 1, price: 6.95 },
            ],
          },
        ],
      },
    });
    expect(rt.models.stats().derivedStale).toBe(true);
    expect(await h.vitrine.refreshModels(rt)).toBe(true);
    expect(rt.models.stats().derivedStale).toBe(false);
    const shop = { id: h.shop.shopId, notice: rt.notice, compiled: rt.compiled };
    const rebuilt = await rebuildModels(h.vitrine.store, shop, [...rt.catalog.values()], h.clock.now);
    expect(rt.models.derived?.data.nbrW).toEqual(rebuilt.derived?.data.nbrW);
    expect(rt.models.derived?.data.nbrCol).toEqual(rebuilt.derived?.data.nbrCol);
  });

  it('a full rebuild leaves out customers whose consent has expired', async () => {
    const rt = await h.vitrine.shop(h.shop.shopId);
    const catalog = [...rt.catalog.values()];
    const shop = { id: h.shop.shopId, notice: rt.notice, compiled: rt.compiled };
    const now = await rebuildModels(h.vitrine.store, shop, catalog, h.clock.now);
    expect(now.stats().subjects).toBeGreaterThan(0);
    const later = await rebuildModels(
      h.vitrine.store,
      shop,
      catalog,
      addDuration(h.clock.now, rt.compiled.consentValidity) + 1,
    );
    expect(later.stats().subjects).toBe(0);
  });

  it('level 3: predictions about the person list their inputs, in German and English; none below level 3', async () => {
    await consentTo(h, 'sub_predict', 3);
    const day = 86_400_000;
    const events = [0, 1, 2].map((k) => ({
      type: 'purchase',
      subject_id: 'sub_predict',
      session_id: `ses_p${k}`,
      order_id: `op${k}`,
      lines: [{ item_id: 'tee-3', quantity: 1, price: 6.95 }],
      ts: new Date(h.clock.now - (60 - k * 21) * day).toISOString(),
    }));
    expect((await h.request('/v1/events', { key: key(), body: { events } })).body.accepted).toBe(3);
    const de = await h.request('/v1/subjects/sub_predict/predictions', { key: key() });
    expect(de.status).toBe(200);
    expect(de.body.level).toBe(3);
    const repurchase = de.body.predictions.find((p: { kind: string }) => p.kind === 'repurchase');
    expect(repurchase.item.id).toBe('tee-3');
    expect(repurchase.probability).toBeGreaterThan(0);
    expect(repurchase.inputs[0]).toMatchObject({
      kind: 'bought',
      category: 'purchases',
      items: ['tee-3', 'tee-3', 'tee-3'],
    });
    expect(repurchase.text).toMatch(/Grüner Tee Sencha/);
    const en = await h.request('/v1/subjects/sub_predict/predictions?language=en', { key: key() });
    expect(en.body.predictions[0].text).not.toBe(de.body.predictions[0].text);
    const lower = await h.request('/v1/subjects/sub_hist0/predictions', { key: key() });
    expect(lower.body).toMatchObject({ level: 2, predictions: [] });
  });

  it('level 3: prediction texts are worded by the size of the probability, and each input says what it is', async () => {
    // A browser subject (public key and token) and the same subject read with the secret key.
    const created = await h.request('/v1/subjects', { key: h.shop.publicKey, method: 'POST' });
    const subject = created.body.subject_id as string;
    const headers = { 'x-vitrine-subject': created.body.token as string };
    await consentTo(h, subject, 3);
    const at = (m: number) => new Date(h.clock.now - 10 * 60_000 + m * 60_000).toISOString();
    const events = [
      { type: 'view', session_id: 'ses_words', item_id: 'tee-1', ts: at(0) },
      { type: 'add_to_cart', session_id: 'ses_words', item_id: 'tee-1', ts: at(1) },
      {
        type: 'purchase',
        session_id: 'ses_words',
        order_id: 'o-words',
        lines: [{ item_id: 'tee-1', quantity: 1, price: 39.95 }],
        ts: at(2),
      },
    ];
    const sent = await h.request('/v1/events', { key: h.shop.publicKey, headers, body: { events } });
    expect(sent.body).toMatchObject({ accepted: 3, dropped: 0 });
    const path = `/v1/subjects/${subject}/predictions?session_id=ses_words`;
    const answers = [
      await h.request(`${path}&language=de`, { key: h.shop.publicKey, headers }),
      await h.request(`${path}&language=en`, { key: key() }),
    ];
    for (const [n, r] of answers.entries()) {
      const lang = n === 0 ? 'de' : 'en';
      expect(r.status).toBe(200);
      expect(r.body.predictions.length).toBeGreaterThan(0);
      for (const p of r.body.predictions) {
        // The band word (unlikely … very likely) and the rounded percentage, never a bare "probably".
        const word = bandWord(p.probability, lang);
        expect(p.text, p.text).toContain(lang === 'de' ? `ist ${word} (` : `It is ${word} that `);
        expect(p.text).not.toMatch(/probably|voraussichtlich/);
      }
      const kitchen = r.body.predictions.find(
        (p: { kind: string; category?: string[] }) =>
          p.kind === 'next_category' && p.category?.[0] === 'Küche',
      );
      const labels =
        lang === 'de'
          ? [
              'Artikel, die Sie angesehen haben',
              'Artikel, die Sie in den Warenkorb gelegt haben',
              'Artikel, die Sie gekauft haben',
            ]
          : ['Items you viewed', 'Items you put in your cart', 'Items you bought'];
      expect(kitchen.inputs).toMatchObject([
        { kind: 'viewed', label: labels[0], category: 'browsing', items: ['tee-1'] },
        { kind: 'carted', label: labels[1], category: 'cart', items: ['tee-1'] },
        { kind: 'bought', label: labels[2], category: 'purchases', items: ['tee-1'] },
      ]);
      const again = r.body.predictions.find((p: { kind: string }) => p.kind === 'repurchase');
      expect(again.inputs.map((i: { kind: string }) => i.kind)).toEqual(['bought', 'repurchase_intervals']);
      expect(again.inputs[1].category).toBeNull();
    }
  });
});
