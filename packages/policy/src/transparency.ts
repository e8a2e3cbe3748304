import type { Language } from '@vitrine/contracts';
import { type Block, docHtml, facts, heading, list, paragraph } from './doc';
import type { Policy, Text } from './schema';
import { retentionText, WORDING } from './texts';

/**
 * The shop's transparency report: what it collects, how customers chose, how their requests
 * were answered, and the latest signed checkpoint of its audit log with the key to check it.
 * The server computes it from the store; this renders it.
 */
export interface TransparencyReport {
  shop_id: string;
  generated_at: string;
  categories: { id: string; label: Text; kind: string; retention: string }[];
  consent: {
    /** Customers with a recorded choice. */
    subjects: number;
    /** Share of them per level, as the consent holds now (0..1, rounded to 0.1 %). */
    levels: { level: 0 | 1 | 2 | 3; share: number }[];
    paused_share: number;
    gpc_share: number;
  };
  rights_requests: {
    total: number;
    open: number;
    overdue: number;
    by_kind: Record<string, number>;
    median_completion_ms: number | null;
  };
  erasures: { completed: number; pending: number; median_duration_ms: number | null };
  audit: {
    entries: number;
    checkpoint: string | null;
    checkpoint_size: number;
    signed_at: string | null;
    public_key: { base64: string; pem: string; verifier_key: string };
  };
}

const T = {
  de: {
    title: 'Transparenzbericht',
    intro:
      'Was dieser Shop für die Personalisierung erhebt, wie Kundinnen und Kunden gewählt haben und wie ihre Anfragen beantwortet wurden. Stand:',
    categories: 'Erhobene Datenkategorien',
    consent: 'Einwilligungen',
    subjects: 'Personen mit einer festgehaltenen Wahl',
    level: 'Stufe',
    paused: 'Personalisierung pausiert',
    gpc: 'Mit Browser-Signal „Global Privacy Control“',
    requests: 'Anfragen zu Betroffenenrechten',
    total: 'Anfragen insgesamt',
    open: 'offen',
    overdue: 'nach Frist (ein Monat) beantwortet oder noch offen',
    median: 'Median der Bearbeitungszeit',
    kinds: {
      export: 'Auskunft/Kopie',
      erasure: 'Löschung',
      correction: 'Berichtigung',
      restriction: 'Einschränkung',
      objection: 'Widerspruch',
    } as Record<string, string>,
    erasures: 'Löschungen',
    completed: 'abgeschlossen',
    pending: 'in Arbeit',
    medianErasure: 'Median der Dauer',
    audit: 'Prüfprotokoll',
    auditText:
      'Einwilligungen, Anfragen, Löschungen, Zugriffe, Richtlinienänderungen und Modell-Neuberechnungen stehen in einem Protokoll mit Hash-Kette und signierten Prüfpunkten. Mit dem öffentlichen Schlüssel unten lässt sich jeder Prüfpunkt und jeder Nachweis, den Sie erhalten, ohne uns prüfen (siehe README: „Prüfen ohne Vitrine“).',
    entries: 'Einträge',
    checkpoint: 'Letzter signierter Prüfpunkt',
    none: 'noch keiner',
    key: 'Öffentlicher Schlüssel (Ed25519, Base64)',
    verifierKey: 'Prüfschlüssel (signed note)',
    ms: (ms: number | null) =>
      ms === null ? '–' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 3_600_000).toFixed(1)} h`,
  },
  en: {
    title: 'Transparency report',
    intro:
      'What this shop collects for personalization, how customers chose, and how their requests were answered. As of:',
    categories: 'Data categories collected',
    consent: 'Consent',
    subjects: 'People with a recorded choice',
    level: 'Level',
    paused: 'Personalization paused',
    gpc: 'With the “Global Privacy Control” browser signal',
    requests: 'Requests about data protection rights',
    total: 'Requests in total',
    open: 'open',
    overdue: 'answered after the deadline (one month) or still open past it',
    median: 'Median time to complete',
    kinds: {
      export: 'access/copy',
      erasure: 'erasure',
      correction: 'correction',
      restriction: 'restriction',
      objection: 'objection',
    } as Record<string, string>,
    erasures: 'Erasures',
    completed: 'completed',
    pending: 'in progress',
    medianErasure: 'Median duration',
    audit: 'Audit log',
    auditText:
      'Consents, requests, erasures, data access, policy changes and model rebuilds are recorded in a log with a hash chain and signed checkpoints. With the public key below, anyone can check each checkpoint, and each proof you receive, without us (see the README: "Verify without Vitrine").',
    entries: 'Entries',
    checkpoint: 'Latest signed checkpoint',
    none: 'none yet',
    key: 'Public key (Ed25519, base64)',
    verifierKey: 'Verifier key (signed note)',
    ms: (ms: number | null) =>
      ms === null ? '–' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 3_600_000).toFixed(1)} h`,
  },
} satisfies Record<Language, unknown>;

const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;

/** The report as an HTML page in one language, every text escaped. */
export function renderTransparency(policy: Policy, r: TransparencyReport, lang: Language): string {
  const t = T[lang];
  const kinds = WORDING[lang].kinds as Record<string, string>;
  const categories: Block[] = r.categories.map((c) =>
    paragraph(
      `${c.label[lang]} – ${kinds[c.kind] ?? c.kind}; ${WORDING[lang].keptFor}: ${retentionText(policy, c.retention, false, lang)}`,
    ),
  );
  const levels = r.consent.levels.map(
    (l) => [`${t.level} ${l.level} – ${policy.levels[l.level]?.name[lang] ?? ''}`, pct(l.share)] as const,
  );
  const byKind = Object.entries(r.rights_requests.by_kind).map(([k, n]) => `${t.kinds[k] ?? k}: ${n}`);
  return docHtml(
    {
      title: `${t.title}: ${policy.controller.name}`,
      sections: [
        { title: '', blocks: [paragraph(`${t.intro} ${r.generated_at}`)] },
        { title: t.categories, blocks: categories },
        {
          title: t.consent,
          blocks: [
            facts([
              [t.subjects, String(r.consent.subjects)],
              ...levels,
              [t.paused, pct(r.consent.paused_share)],
              [t.gpc, pct(r.consent.gpc_share)],
            ]),
          ],
        },
        {
          title: t.requests,
          blocks: [
            facts([
              [t.total, String(r.rights_requests.total)],
              [t.open, String(r.rights_requests.open)],
              [t.overdue, String(r.rights_requests.overdue)],
              [t.median, t.ms(r.rights_requests.median_completion_ms)],
            ]),
            ...(byKind.length > 0 ? [list(byKind)] : []),
          ],
        },
        {
          title: t.erasures,
          blocks: [
            facts([
              [t.completed, String(r.erasures.completed)],
              [t.pending, String(r.erasures.pending)],
              [t.medianErasure, t.ms(r.erasures.median_duration_ms)],
            ]),
          ],
        },
        {
          title: t.audit,
          blocks: [
            paragraph(t.auditText),
            facts([
              [t.entries, String(r.audit.entries)],
              [t.checkpoint, r.audit.checkpoint ?? t.none],
              [t.key, r.audit.public_key.base64],
              [t.verifierKey, r.audit.public_key.verifier_key],
            ]),
            heading('PEM'),
            paragraph(r.audit.public_key.pem),
          ],
        },
      ],
    },
    lang,
  );
}
