import { type Language, own } from '@vitrine/contracts';
import {
  type Block,
  type Doc,
  type DocFrame,
  docHtml,
  docText,
  facts,
  heading,
  linked,
  list,
  paragraph,
  type Section,
} from './doc';
import { type Measures, NO_MEASURES } from './measures';
import type { Policy } from './schema';
import { durationText, isThirdCountry, retentionText, WORDING } from './texts';

/** Who is responsible, one line each for the controller and the data protection officer. */
export function controllerLines(policy: Policy, lang: Language): string[] {
  const w = WORDING[lang];
  const c = policy.controller;
  const lines = [`${c.name}, ${c.address}, ${w.email}: ${c.email}`];
  if (c.dpo !== undefined) {
    const dpo = [c.dpo.name, `${w.email}: ${c.dpo.email}`].filter((x) => x !== undefined).join(', ');
    lines.push(`${w.dpo}: ${dpo}`);
  }
  return lines;
}

function controllerSection(policy: Policy, lang: Language): Section {
  return { title: WORDING[lang].controller, blocks: controllerLines(policy, lang).map(paragraph) };
}

const label = (policy: Policy, id: string, lang: Language): string =>
  own(policy.purposes, id)?.label[lang] ?? id;

function levelsSection(policy: Policy, lang: Language): Section {
  const w = WORDING[lang];
  const blocks = policy.levels.flatMap((level, n): Block[] => {
    const purposes = level.purposes.map((id) => label(policy, id, lang)).join(', ');
    const rows: [string, string][] = [[w.purposesOfLevel, purposes === '' ? w.noPurposes : purposes]];
    if (level.reward !== undefined) rows.push([w.reward, level.reward[lang]]);
    return [heading(`${w.level} ${n} – ${level.name[lang]}`), paragraph(level.summary[lang]), facts(rows)];
  });
  return { title: w.levels, blocks };
}

function switchesSection(policy: Policy, lang: Language): Section[] {
  if (policy.switches.length === 0) return [];
  const w = WORDING[lang];
  return [{ title: w.switches, blocks: [list(policy.switches.map((id) => label(policy, id, lang)))] }];
}

/** The facts of one purpose as the notice states them: data and retention, basis, recipients, profiling. */
export function purposeFacts(
  policy: Policy,
  id: string,
  lang: Language,
): { data: { label: string; kept: string }[]; rows: [string, string][]; notes: string[] } | undefined {
  const w = WORDING[lang];
  const p = own(policy.purposes, id);
  if (p === undefined) return undefined;
  const kept = p.categories.map((c) => {
    const cat = own(policy.categories, c);
    return {
      label: cat?.label[lang] ?? c,
      kept: retentionText(policy, cat?.retention ?? 'session', p.session_only, lang),
    };
  });
  const oneRetention = new Set(kept.map((k) => k.kept)).size <= 1;
  const dataRows: [string, string][] = oneRetention
    ? [
        [w.dataUsed, kept.map((k) => k.label).join(', ')],
        [w.keptFor, kept[0]?.kept ?? ''],
      ]
    : [[w.dataUsed, kept.map((k) => `${k.label} (${w.keptFor}: ${k.kept})`).join('; ')]];
  const recipients = p.recipients.map((r) => {
    const rec = own(policy.recipients, r);
    if (rec === undefined) return r;
    const where = isThirdCountry(rec.country) ? `${rec.country}, ${w.thirdCountry}` : rec.country;
    return `${rec.name} – ${rec.role[lang]} (${where})`;
  });
  return {
    data: kept,
    rows: [
      ...dataRows,
      [w.legalBasis, `${w.bases[p.legal_basis.type]} – ${p.legal_basis.article[lang]}`],
      [w.recipients, recipients.length === 0 ? w.noRecipients : recipients.join('; ')],
      [w.profiling, p.profiling ? w.yes : w.no],
    ],
    notes: p.marketing ? [w.marketingObjection] : [],
  };
}

/** One purpose: what for, which data and how long, on what basis, shared with whom, profiling. */
function purposeBlocks(policy: Policy, id: string, lang: Language): Block[] {
  const p = own(policy.purposes, id);
  const f = purposeFacts(policy, id, lang);
  if (p === undefined || f === undefined) return [];
  return [heading(p.label[lang]), paragraph(p.description[lang]), facts(f.rows), ...f.notes.map(paragraph)];
}

function purposesSection(policy: Policy, lang: Language): Section {
  const blocks = Object.keys(policy.purposes).flatMap((id) => purposeBlocks(policy, id, lang));
  return { title: WORDING[lang].purposeDetails, blocks };
}

export function withdrawalLines(policy: Policy, lang: Language): string[] {
  return [`${policy.withdrawal.text[lang]} (${policy.withdrawal.path})`, WORDING[lang].withdrawalAtOnce];
}

/** `href`: in HTML, the withdrawal path becomes a link there (the privacy center). */
function withdrawalSection(policy: Policy, lang: Language, href?: string): Section {
  const [first = '', ...rest] = withdrawalLines(policy, lang);
  const link = href === undefined ? undefined : { part: policy.withdrawal.path, href };
  return { title: WORDING[lang].withdrawal, blocks: [linked(first, link), ...rest.map(paragraph)] };
}

function gpcSection(lang: Language): Section {
  const w = WORDING[lang];
  return { title: w.gpcTitle, blocks: [paragraph(w.gpc)] };
}

/** The consent dialog's text (C7): what the customer sees before choosing. */
function dialogDoc(policy: Policy, lang: Language): Doc {
  const w = WORDING[lang];
  return {
    title: w.dialogTitle,
    sections: [
      { title: '', blocks: [paragraph(w.dialogIntro)] },
      controllerSection(policy, lang),
      levelsSection(policy, lang),
      ...switchesSection(policy, lang),
      purposesSection(policy, lang),
      withdrawalSection(policy, lang),
      gpcSection(lang),
    ],
  };
}

/**
 * The exact plain text the consent dialog shows. Its SHA-256 goes into every consent record
 * (C10), so it must be stored with the notice version to be reproducible.
 */
export function noticeText(policy: Policy, lang: Language): string {
  return docText(dialogDoc(policy, lang));
}

/** Each data category as the notice describes it: label, description, where it comes from, how long it is kept. */
export function categoryFacts(
  policy: Policy,
  lang: Language,
): Record<string, { label: string; description: string; kind: string; kept: string }> {
  const w = WORDING[lang];
  return Object.fromEntries(
    Object.entries(policy.categories).map(([id, c]) => [
      id,
      {
        label: c.label[lang],
        description: c.description[lang],
        kind: w.kinds[c.kind],
        kept: retentionText(policy, c.retention, false, lang),
      },
    ]),
  );
}

/**
 * The rights section (Art. 13(2)(b)): every right, in words that claim only what is built
 * (`measures`): JSON/CSV only with the export, removing inferred interests only with exclusions,
 * the privacy center only when there is one (else the controller's address).
 */
export function rightsBlocks(policy: Policy, lang: Language, measures: Measures): Block[] {
  const r = WORDING[lang].rights;
  const items = [
    r.access,
    measures.removeInterests ? r.removeInterests : r.correction,
    r.erasure,
    r.restriction,
    measures.portability ? r.portabilityFormats : r.portability,
    r.objection,
  ];
  const how =
    measures.privacyCenter === null
      ? WORDING[lang].rightsHowContact(policy.controller.email)
      : WORDING[lang].rightsHowCenter(measures.privacyCenter);
  return [list(items), paragraph(how)];
}

function noticeDoc(policy: Policy, lang: Language, measures: Measures, withdrawalHref?: string): Doc {
  const w = WORDING[lang];
  const categories = Object.values(policy.categories).flatMap((c): Block[] => [
    heading(c.label[lang]),
    paragraph(c.description[lang]),
    facts([
      [w.kind, w.kinds[c.kind]],
      [w.keptFor, retentionText(policy, c.retention, false, lang)],
    ]),
  ]);
  const authority = policy.supervisory_authority;
  const complaint: Block[] = [paragraph(w.complaint)];
  if (authority !== undefined)
    complaint.push(paragraph(`${w.complaintAuthority}: ${authority.name[lang]}, ${authority.url}`));
  const proof = w.proof(
    durationText(policy.consent.validity, lang),
    durationText(policy.consent.record_retention, lang),
  );
  return {
    title: w.noticeTitle,
    sections: [
      controllerSection(policy, lang),
      { title: '', blocks: [paragraph(w.dialogIntro)] },
      levelsSection(policy, lang),
      ...switchesSection(policy, lang),
      purposesSection(policy, lang),
      { title: w.categories, blocks: categories },
      { title: w.profilingTitle, blocks: [paragraph(w.profilingText)] },
      withdrawalSection(policy, lang, withdrawalHref),
      gpcSection(lang),
      { title: w.proofTitle, blocks: [paragraph(proof)] },
      { title: w.rightsTitle, blocks: rightsBlocks(policy, lang, measures) },
      { title: w.complaintTitle, blocks: complaint },
    ],
  };
}

/**
 * The complete privacy notice as an HTML page (Art. 13), every text escaped. It states the
 * measures in `measures` and no others (default: none). `withdrawalHref` makes the withdrawal
 * path a link (to the privacy center); `frame` is the host's styling.
 */
export function renderNotice(
  policy: Policy,
  lang: Language,
  measures: Measures = NO_MEASURES,
  opts: { withdrawalHref?: string; frame?: DocFrame } = {},
): string {
  return docHtml(noticeDoc(policy, lang, measures, opts.withdrawalHref), lang, opts.frame);
}
