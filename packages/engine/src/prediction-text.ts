import type { Lang } from './reasons';
import type { Prediction, PredictionInput } from './types';

/** How likely a prediction is, in words. */
export type ProbabilityBand = 'unlikely' | 'possible' | 'likely' | 'very_likely';

/**
 * The bands, by lower bound: below 1/3 "unlikely", from 1/3 "possible" (about as likely as not),
 * from 2/3 "likely", from 0.9 "very likely" — the calibrated language of the IPCC (AR5 guidance
 * note, Mastrandrea et al. 2010), with its two lowest and its middle band merged.
 */
export const PROBABILITY_BANDS: ReadonlyArray<{ band: ProbabilityBand; from: number }> = [
  { band: 'unlikely', from: 0 },
  { band: 'possible', from: 1 / 3 },
  { band: 'likely', from: 2 / 3 },
  { band: 'very_likely', from: 0.9 },
];

export function probabilityBand(p: number): ProbabilityBand {
  let band: ProbabilityBand = 'unlikely';
  for (const b of PROBABILITY_BANDS) if (p >= b.from) band = b.band;
  return band;
}

const BAND_WORDS: Record<Lang, Record<ProbabilityBand, string>> = {
  de: {
    unlikely: 'unwahrscheinlich',
    possible: 'möglich',
    likely: 'wahrscheinlich',
    very_likely: 'sehr wahrscheinlich',
  },
  en: { unlikely: 'unlikely', possible: 'possible', likely: 'likely', very_likely: 'very likely' },
};

/** The band's word in the language. */
export function bandWord(p: number, lang: Lang): string {
  return BAND_WORDS[lang][probabilityBand(p)];
}

/** The percentage as shown: whole percent, "< 1" for a probability above zero that rounds to 0. */
function percent(p: number): string {
  const n = Math.round(p * 100);
  return n === 0 && p > 0 ? '< 1' : String(n);
}

/**
 * One sentence per prediction, German or English, whose words match the probability's size
 * (`probabilityBand`) and which names the number beside them.
 */
export function renderPrediction(p: Prediction, lang: Lang, titleOf: (id: string) => string): string {
  const de = lang === 'de';
  const word = bandWord(p.probability, lang);
  const pct = percent(p.probability);
  switch (p.kind) {
    case 'repurchase':
      return de
        ? `Dass Sie „${titleOf(p.item)}“ innerhalb von ${p.horizonDays} Tagen wieder kaufen, ist ${word} (${pct} %).`
        : `It is ${word} that you buy “${titleOf(p.item)}” again within ${p.horizonDays} days (${pct} %).`;
    case 'next_category':
      return de
        ? `Dass Sie sich als Nächstes für ${p.category.join(' › ')} interessieren, ist ${word} (${pct} %).`
        : `It is ${word} that ${p.category.join(' › ')} is what interests you next (${pct} %).`;
    case 'purchase_propensity':
      return de
        ? `Dass dieser Besuch mit einem Kauf endet, ist ${word} (${pct} %).`
        : `It is ${word} that this visit ends in a purchase (${pct} %).`;
  }
}

/** What a prediction input is, in words: the subject's events of one type, or an aggregate. */
export function renderPredictionInput(input: PredictionInput, lang: Lang): string {
  const de = lang === 'de';
  switch (input.kind) {
    case 'viewed':
      return de ? 'Artikel, die Sie angesehen haben' : 'Items you viewed';
    case 'carted':
      return de ? 'Artikel, die Sie in den Warenkorb gelegt haben' : 'Items you put in your cart';
    case 'bought':
      return de ? 'Artikel, die Sie gekauft haben' : 'Items you bought';
    case 'searched':
      return de
        ? 'Artikel, die Sie in Suchergebnissen angeklickt haben'
        : 'Items you clicked in search results';
    case 'repurchase_intervals': {
      // Counted over everyone whose purchases the shared models hold (the subject too, if allowed).
      const n = input.buyers ?? 0;
      if (n === 1) {
        return de
          ? 'Abstände zwischen den Käufen der einen Person, die diesen Artikel gekauft hat (zusammengefasst)'
          : 'Intervals between the purchases of the one buyer of this item (aggregate)';
      }
      return de
        ? `Abstände zwischen den Käufen aller ${n} Personen, die diesen Artikel gekauft haben (zusammengefasst)`
        : `Intervals between the purchases of all ${n} buyers of this item (aggregate)`;
    }
  }
}
