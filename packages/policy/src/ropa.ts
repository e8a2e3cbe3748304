import { type Language, own } from '@vitrine/contracts';
import { type Block, type DocFrame, docHtml, facts, heading, list } from './doc';
import { scopeHash } from './hash';
import { type Measures, NO_MEASURES } from './measures';
import type { Policy, Text } from './schema';
import { durationText, isThirdCountry, retentionText, WORDING } from './texts';

const both = (pick: (w: (typeof WORDING)[Language]) => string): Text => ({
  de: pick(WORDING.de),
  en: pick(WORDING.en),
});

type Tom = keyof (typeof WORDING)['de']['ropaToms'];

/** Which measure (Art. 32) backs each sentence of the record: `true` for those true by design. */
export const TOM_MEASURES: Record<Tom, keyof Measures | true> = {
  pseudonymous: true,
  identityEncryption: 'identityEncryption',
  consentChecked: true,
  automaticDeletion: 'automaticDeletion',
  exactErasure: 'exactErasure',
  auditLog: 'auditLog',
  keys: true,
};

/** The measures to state: those true by design, and those `measures` says are built and enabled. */
export function statedMeasures(measures: Measures): Tom[] {
  return (Object.keys(TOM_MEASURES) as Tom[]).filter((t) => {
    const backing = TOM_MEASURES[t];
    return backing === true || measures[backing] === true;
  });
}

/**
 * The record of processing activities (Art. 30(1) GDPR) as JSON, texts in both languages:
 * (a) controller and DPO, (b) purposes, (c) data subjects and data categories, (d) recipients,
 * (e) third-country transfers, (f) erasure time limits, (g) security measures: only those
 * `measures` says are built and enabled (default: only those true by design).
 */
export function recordOfProcessing(policy: Policy, measures: Measures = NO_MEASURES) {
  const activities = Object.entries(policy.purposes).map(([id, p]) => {
    const recipients = p.recipients.flatMap((r) => {
      const rec = own(policy.recipients, r);
      return rec === undefined ? [] : [{ id: r, ...rec, third_country: isThirdCountry(rec.country) }];
    });
    return {
      purpose_id: id,
      name: p.label,
      description: p.description,
      legal_basis: p.legal_basis,
      data_subjects: both((w) => w.ropaDataSubjects),
      data_categories: p.categories.flatMap((c) => {
        const cat = own(policy.categories, c);
        return cat === undefined ? [] : [{ id: c, label: cat.label, kind: cat.kind }];
      }),
      recipients,
      third_country_transfers: recipients.filter((r) => r.third_country).map((r) => r.id),
      /** Per category: ISO 8601 duration from collection, or 'session'. */
      erasure_time_limits: Object.fromEntries(
        p.categories.map((c) => [
          c,
          p.session_only ? 'session' : (own(policy.categories, c)?.retention ?? 'session'),
        ]),
      ),
      profiling: p.profiling,
      direct_marketing: p.marketing,
      offered_as: policy.switches.includes(id)
        ? { switch: true, levels: [] }
        : { switch: false, levels: policy.levels.flatMap((l, n) => (l.purposes.includes(id) ? [n] : [])) },
    };
  });
  return {
    controller: policy.controller,
    notice_id: policy.notice_id,
    scope_hash: scopeHash(policy),
    activities,
    consent_records: {
      purpose: both((w) => w.ropaConsentRecords),
      legal_basis: {
        type: 'legal_obligation' as const,
        article: { de: 'Art. 7 Abs. 1 DSGVO', en: 'Art. 7(1) GDPR' },
      },
      erasure_time_limit: policy.consent.record_retention,
    },
    technical_and_organisational_measures: statedMeasures(measures).map((t) => ({
      id: t,
      de: WORDING.de.ropaToms[t],
      en: WORDING.en.ropaToms[t],
    })),
  };
}
export type RecordOfProcessing = ReturnType<typeof recordOfProcessing>;

/** The Art. 30 record as an HTML page in one language. */
export function renderRecordOfProcessing(
  policy: Policy,
  lang: Language,
  measures: Measures = NO_MEASURES,
  frame?: DocFrame,
): string {
  const w = WORDING[lang];
  const ropa = recordOfProcessing(policy, measures);
  const c = ropa.controller;
  const controller = [[w.controller, `${c.name}, ${c.address}, ${w.email}: ${c.email}`] as const];
  const dpo = c.dpo === undefined ? [] : [[w.dpo, `${c.dpo.name ?? ''} ${c.dpo.email}`.trim()] as const];
  const activities = ropa.activities.flatMap((a): Block[] => [
    heading(a.name[lang]),
    facts([
      [w.ropaPurpose, a.description[lang]],
      [w.legalBasis, `${w.bases[a.legal_basis.type]} – ${a.legal_basis.article[lang]}`],
      [w.ropaDataSubjectsLabel, a.data_subjects[lang]],
      [w.dataUsed, a.data_categories.map((d) => `${d.label[lang]} (${w.kinds[d.kind]})`).join('; ')],
      [
        w.recipients,
        a.recipients.map((r) => `${r.name} – ${r.role[lang]} (${r.country})`).join('; ') || w.noRecipients,
      ],
      [w.ropaTransfers, a.third_country_transfers.join(', ') || w.ropaNoTransfers],
      [
        w.keptFor,
        Object.entries(a.erasure_time_limits)
          .map(
            ([cat, r]) =>
              `${own(policy.categories, cat)?.label[lang] ?? cat}: ${retentionText(policy, r, false, lang)}`,
          )
          .join('; '),
      ],
      [w.profiling, a.profiling ? w.yes : w.no],
    ]),
  ]);
  return docHtml(
    {
      title: w.ropaTitle,
      sections: [
        { title: w.controller, blocks: [facts([...controller, ...dpo])] },
        { title: w.purposeDetails, blocks: activities },
        {
          title: ropa.consent_records.purpose[lang],
          blocks: [
            facts([
              [
                w.legalBasis,
                `${w.bases.legal_obligation} – ${ropa.consent_records.legal_basis.article[lang]}`,
              ],
              [w.keptFor, durationText(ropa.consent_records.erasure_time_limit, lang)],
            ]),
          ],
        },
        {
          title: w.ropaTomsTitle,
          blocks: [list(ropa.technical_and_organisational_measures.map((t) => t[lang]))],
        },
      ],
    },
    lang,
    frame,
  );
}
