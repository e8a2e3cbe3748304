import { describe, expect, it } from 'vitest';
import { type Reason, renderReason } from '../src/index';

const titles: Record<string, string> = { teapot: 'Teekanne Aurora', cups: 'Teetassen Aurora' };
const titleOf = (id: string) => titles[id];
const reason = (kind: Reason['kind'], items: string[], times: number[] = []): Reason => ({
  kind,
  category: 'browsing',
  purpose: 'personalisation_session',
  evidence: { items, times },
});

describe('renderReason', () => {
  it('says in German and English which session item led to a suggestion', () => {
    const r = reason('viewed_in_session', ['teapot']);
    expect(renderReason(r, 'de', titleOf)).toBe(
      'Weil Sie in dieser Sitzung „Teekanne Aurora“ angesehen haben',
    );
    expect(renderReason(r, 'en', titleOf)).toBe('Because you viewed “Teekanne Aurora” during this visit');
  });

  it('names the date of an earlier purchase in each language’s format', () => {
    const r = reason('bought_before', ['cups'], [Date.UTC(2025, 2, 7)]);
    expect(renderReason(r, 'de', titleOf)).toBe(
      'Weil Sie „Teetassen Aurora“ schon gekauft haben, zuletzt am 07.03.2025',
    );
    expect(renderReason(r, 'en', titleOf)).toBe(
      'Because you bought “Teetassen Aurora” before, last on 2025-03-07',
    );
  });

  it('joins several evidence items and falls back to the id for unknown titles', () => {
    const r = reason('bought_together_with', ['teapot', 'cups', 'x9']);
    expect(renderReason(r, 'de', titleOf)).toBe(
      'Wird oft zusammen mit „Teekanne Aurora“, „Teetassen Aurora“ und „Artikel x9“ gekauft',
    );
    expect(renderReason(r, 'en', titleOf)).toBe(
      'Often bought together with “Teekanne Aurora”, “Teetassen Aurora” and “item x9”',
    );
  });

  it('renders every kind in both languages', () => {
    const kinds: Reason['kind'][] = [
      'viewed_in_session',
      'carted_in_session',
      'bought_in_session',
      'bought_before',
      'goes_with_purchase',
      'bought_together_with',
      'similar_to_current',
      'popular_now',
      'predicted_repurchase',
      'shop_order',
    ];
    for (const kind of kinds) {
      const de = renderReason(reason(kind, ['teapot'], [0]), 'de', titleOf);
      const en = renderReason(reason(kind, ['teapot'], [0]), 'en', titleOf);
      expect(de).not.toBe(en);
      expect(de.length).toBeGreaterThan(5);
      if (kind !== 'popular_now' && kind !== 'shop_order') expect(en).toContain('“Teekanne Aurora”');
    }
  });
});

describe('repurchase reasons', () => {
  it('say "several times" only for several purchase days, else that other buyers buy it again', () => {
    const once = {
      ...reason('predicted_repurchase', ['teapot'], [Date.UTC(2025, 2, 7, 10)]),
      category: 'purchases',
    };
    expect(renderReason(once, 'de', titleOf)).toBe(
      'Weil Sie „Teekanne Aurora“ am 07.03.2025 gekauft haben und andere es nachkaufen',
    );
    expect(renderReason(once, 'en', titleOf)).toBe(
      'Because you bought “Teekanne Aurora” on 2025-03-07 and other buyers buy it again',
    );
    const twice = {
      ...once,
      evidence: { items: ['teapot'], times: [Date.UTC(2025, 1, 7), Date.UTC(2025, 2, 7)] },
    };
    expect(renderReason(twice, 'de', titleOf)).toBe(
      'Weil Sie „Teekanne Aurora“ mehrmals gekauft haben (zuletzt am 07.03.2025) und es wieder brauchen könnten',
    );
    expect(renderReason(twice, 'en', titleOf)).toBe(
      'Because you bought “Teekanne Aurora” several times (last on 2025-03-07) and may need it again',
    );
  });
});
