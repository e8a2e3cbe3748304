import { describe, expect, it } from 'vitest';
import {
  buildModels,
  type Prediction,
  predict,
  probabilityBand,
  renderPrediction,
  renderPredictionInput,
} from '../src/index';
import { catalog, DAY, ev, NOW, shopHistory, viewOf } from './fixture';

const titleOf = (id: string) => (id === 'tea' ? 'Grüner Tee Sencha' : id);
const repurchase = (probability: number): Prediction => ({
  kind: 'repurchase',
  item: 'tea',
  probability,
  horizonDays: 90,
  inputs: [],
});

describe('probability bands', () => {
  it('words a probability by its size: unlikely below 1/3, possible, likely from 2/3, very likely from 0.9', () => {
    expect([0, 0.07, 0.33, 0.34, 0.5, 0.66, 0.67, 0.89, 0.9, 1].map(probabilityBand)).toEqual([
      'unlikely',
      'unlikely',
      'unlikely',
      'possible',
      'possible',
      'possible',
      'likely',
      'likely',
      'very_likely',
      'very_likely',
    ]);
  });

  it('a 7 % repurchase reads "unlikely" in German and English, never "probably"', () => {
    const p = repurchase(0.07);
    expect(renderPrediction(p, 'de', titleOf)).toBe(
      'Dass Sie „Grüner Tee Sencha“ innerhalb von 90 Tagen wieder kaufen, ist unwahrscheinlich (7 %).',
    );
    expect(renderPrediction(p, 'en', titleOf)).toBe(
      'It is unlikely that you buy “Grüner Tee Sencha” again within 90 days (7 %).',
    );
  });

  it('each band has its own words, and the number beside them', () => {
    const cases: Array<[number, string, string]> = [
      [0.2, 'ist unwahrscheinlich (20 %)', 'It is unlikely that'],
      [0.5, 'ist möglich (50 %)', 'It is possible that'],
      [0.75, 'ist wahrscheinlich (75 %)', 'It is likely that'],
      [0.95, 'ist sehr wahrscheinlich (95 %)', 'It is very likely that'],
    ];
    const kinds: Prediction[] = [
      repurchase(0),
      { kind: 'next_category', category: ['Küche', 'Tee'], probability: 0, inputs: [] },
      { kind: 'purchase_propensity', probability: 0, inputs: [] },
    ];
    for (const base of kinds) {
      for (const [p, de, en] of cases) {
        const pred = { ...base, probability: p } as Prediction;
        expect(renderPrediction(pred, 'de', titleOf), `${base.kind} ${p}`).toContain(de);
        expect(renderPrediction(pred, 'en', titleOf), `${base.kind} ${p}`).toMatch(
          new RegExp(`^${en} .*\\(${Math.round(p * 100)} %\\)\\.$`),
        );
      }
    }
    // A probability above zero that rounds to 0 % is not shown as 0 %.
    expect(renderPrediction(repurchase(0.001), 'en', titleOf)).toContain('(< 1 %)');
  });
});

describe('prediction inputs', () => {
  const models = buildModels(catalog, shopHistory());

  it('label each input by its event type: viewed, put in the cart, bought, clicked in search', () => {
    const session = [
      ev('anna', 'now', 'teapot', 'view', NOW - 4000),
      ev('anna', 'now', 'cups', 'add_to_cart', NOW - 3000),
      { ...ev('anna', 'now', 'tea', 'search', NOW - 2000), category: 'browsing' },
    ];
    const history = [ev('anna', 'o1', 'tea', 'purchase', NOW - 10 * DAY)];
    const preds = predict(models, viewOf('anna', 3, session, history), NOW);
    const tea = preds.find((p) => p.kind === 'next_category' && p.category.join('/') === 'Küche/Tee')!;
    expect(tea.inputs).toEqual([
      { kind: 'viewed', category: 'browsing', items: ['teapot'], times: [NOW - 4000] },
      { kind: 'carted', category: 'cart', items: ['cups'], times: [NOW - 3000] },
      { kind: 'searched', category: 'browsing', items: ['tea'], times: [NOW - 2000] },
      { kind: 'bought', category: 'purchases', items: ['tea'], times: [NOW - 10 * DAY] },
    ]);
    const labels = (lang: 'de' | 'en') => tea.inputs.map((i) => renderPredictionInput(i, lang));
    expect(labels('de')).toEqual([
      'Artikel, die Sie angesehen haben',
      'Artikel, die Sie in den Warenkorb gelegt haben',
      'Artikel, die Sie in Suchergebnissen angeklickt haben',
      'Artikel, die Sie gekauft haben',
    ]);
    expect(labels('en')).toEqual([
      'Items you viewed',
      'Items you put in your cart',
      'Items you clicked in search results',
      'Items you bought',
    ]);

    // The visit's purchase propensity: its views, its cart and past purchases, each as what it is.
    const propensity = preds.find((p) => p.kind === 'purchase_propensity')!;
    expect(propensity.inputs.map((i) => [i.kind, i.category, i.items])).toEqual([
      ['viewed', 'browsing', ['teapot']],
      ['carted', 'cart', ['cups']],
      ['bought', 'purchases', ['tea']],
    ]);

    // A repurchase: the subject's purchases, then the aggregate over all buyers (no data category).
    const again = preds.find((p) => p.kind === 'repurchase' && p.item === 'tea')!;
    expect(again.inputs.map((i) => [i.kind, i.category])).toEqual([
      ['bought', 'purchases'],
      ['repurchase_intervals', null],
    ]);
    expect(renderPredictionInput(again.inputs[1]!, 'en')).toMatch(/^Intervals between the purchases of /);
    expect(renderPredictionInput(again.inputs[1]!, 'de')).toMatch(/^Abstände zwischen den Käufen /);
  });
});
