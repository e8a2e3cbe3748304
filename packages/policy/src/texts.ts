import type { Language } from '@vitrine/contracts';
import { type DurationUnit, durationParts } from './duration';
import type { LegalBasisType, Policy } from './schema';

type CategoryKind = Policy['categories'][string]['kind'];

/**
 * The fixed wording of the generated documents, in both languages. `satisfies` makes a key
 * missing in one language a compile error (T1 for the code's own texts).
 */
export const WORDING = {
  de: {
    dialogTitle: 'Personalisierung: Sie entscheiden',
    dialogIntro:
      'Wie persönlich darf dieser Shop für Sie werden? Wählen Sie eine Stufe. Ohne Ihre Wahl bleibt alles auf Stufe 0: Wir speichern nichts über Sie, und der Shop funktioniert trotzdem vollständig.',
    noticeTitle: 'Datenschutzhinweise zur Personalisierung',
    controller: 'Verantwortlich',
    dpo: 'Datenschutzbeauftragte Stelle',
    email: 'E-Mail',
    levels: 'Die Stufen',
    level: 'Stufe',
    purposesOfLevel: 'Zwecke',
    noPurposes: 'keine – wir verwenden nichts über Sie',
    reward: 'Ihr Vorteil',
    switches: 'Zusätzliche Schalter (von Anfang an aus)',
    purposeDetails: 'Die Zwecke im Einzelnen',
    dataUsed: 'Verwendete Daten',
    keptFor: 'Speicherdauer',
    legalBasis: 'Rechtsgrundlage',
    recipients: 'Empfänger',
    noRecipients: 'keine',
    profiling: 'Profiling',
    yes: 'ja',
    no: 'nein',
    marketingObjection:
      'Dies ist Direktwerbung. Sie können jederzeit widersprechen; dann endet sie sofort und ausnahmslos (Art. 21 Abs. 2 und 3 DSGVO).',
    categories: 'Die Datenkategorien',
    kind: 'Herkunft',
    withdrawal: 'Widerruf',
    withdrawalAtOnce:
      'Ein Widerruf wirkt sofort: Wir verarbeiten nichts mehr für die widerrufenen Zwecke und löschen die Daten, die wir nur deswegen hatten.',
    gpcTitle: 'Browser-Signal „Global Privacy Control“',
    gpc: 'Sendet Ihr Browser das Signal „Global Privacy Control“ (Sec-GPC), werten wir es als Widerspruch gegen Profiling: Wir gehen dann nicht über Stufe 1 hinaus und schalten Profiling aus. Nur wenn Sie danach ausdrücklich eine höhere Stufe wählen, gilt Ihre Wahl; wir halten das fest.',
    proofTitle: 'Nachweis Ihrer Wahl',
    proof: (validity: string, retention: string) =>
      `Jede Entscheidung halten wir mit Zeitpunkt und dem genauen Text fest, den Sie gesehen haben (Art. 7 Abs. 1 DSGVO, rechtliche Verpflichtung). Eine Einwilligung gilt ${validity}; danach fragen wir erneut. Die Nachweise bewahren wir ${retention} auf.`,
    profilingTitle: 'Vorhersagen und Profiling (Stufe 3)',
    profilingText:
      'Auf Stufe 3 berechnen wir aus Ihren Daten Vorhersagen, etwa wann Sie einen Artikel wieder brauchen oder welche Kategorie Sie als Nächstes interessiert. Wir nennen bei jeder Empfehlung die Gründe. Die Vorhersagen bestimmen nur, welche Artikel wir Ihnen zeigen und in welcher Reihenfolge, nie Preise oder Bedingungen; sie haben keine rechtliche oder ähnlich erhebliche Wirkung für Sie (Art. 22 DSGVO).',
    rightsTitle: 'Ihre Rechte',
    rights: {
      access: 'Auskunft über alle Daten, die wir über Sie haben, auch über Vorhersagen (Art. 15 DSGVO)',
      correction: 'Berichtigung falscher Daten (Art. 16 DSGVO)',
      removeInterests:
        'Berichtigung falscher Daten und Entfernen von Interessen, die wir abgeleitet haben (Art. 16 DSGVO)',
      erasure: 'Löschung (Art. 17 DSGVO)',
      restriction: 'Einschränkung: Personalisierung pausieren, Daten bleiben erhalten (Art. 18 DSGVO)',
      portability: 'Datenübertragbarkeit: Ihre Daten in einem gängigen Format mitnehmen (Art. 20 DSGVO)',
      portabilityFormats: 'Ihre Daten als JSON oder CSV mitnehmen (Art. 20 DSGVO)',
      objection: 'Widerspruch, insbesondere gegen Direktwerbung und Profiling (Art. 21 DSGVO)',
    },
    rightsHowCenter: (url: string) =>
      `Das geht im Datenschutz-Center (${url}), kostenlos; wir antworten spätestens innerhalb eines Monats.`,
    rightsHowContact: (email: string) =>
      `Schreiben Sie uns dazu an ${email}, kostenlos; wir antworten spätestens innerhalb eines Monats. Auskunft, Löschung, Pause und Widerspruch setzen wir über die Schnittstelle unseres Personalisierungsdienstes sofort um.`,
    complaintTitle: 'Beschwerde',
    complaint:
      'Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren, zum Beispiel in Ihrem Bundesland oder am Sitz des Verantwortlichen (Art. 77 DSGVO).',
    complaintAuthority: 'Zuständig für uns ist',
    session: (minutes: number) => `bis Ihr Besuch endet (nach ${minutes} Minuten ohne Aktivität)`,
    durationJoin: ' und ',
    units: {
      years: ['Jahr', 'Jahre'],
      months: ['Monat', 'Monate'],
      weeks: ['Woche', 'Wochen'],
      days: ['Tag', 'Tage'],
      hours: ['Stunde', 'Stunden'],
      minutes: ['Minute', 'Minuten'],
      seconds: ['Sekunde', 'Sekunden'],
    },
    kinds: {
      provided: 'von Ihnen angegeben',
      observed: 'beobachtet',
      derived: 'abgeleitet',
      inferred: 'vorhergesagt',
    },
    bases: {
      consent: 'Einwilligung',
      legitimate_interest: 'berechtigtes Interesse',
      contract: 'Vertrag',
      legal_obligation: 'rechtliche Verpflichtung',
    },
    thirdCountry: 'außerhalb des EWR',
    noticeLink: 'Ausführliche Datenschutzhinweise',
    ropaTitle: 'Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)',
    ropaDataSubjects: 'Besucherinnen, Besucher und Kundschaft des Online-Shops',
    ropaPurpose: 'Zweck',
    ropaDataSubjectsLabel: 'Betroffene Personen',
    ropaTransfers: 'Übermittlung in Drittländer',
    ropaNoTransfers: 'keine',
    ropaTomsTitle: 'Technische und organisatorische Maßnahmen (Art. 32 DSGVO)',
    ropaToms: {
      pseudonymous: 'Ereignisdaten nur unter Pseudonym',
      identityEncryption:
        'Name, E-Mail-Adresse und Anschrift getrennt von den Ereignisdaten und je Person verschlüsselt (AES-256-GCM, Schlüssel je Person)',
      consentChecked: 'Speicherung nur nach Einwilligung, geprüft bei jedem Ereignis',
      automaticDeletion: 'Löschung nach Ablauf der Speicherdauer automatisch',
      exactErasure: 'Löschung erreicht auch Caches und aggregierte Modelle (exaktes Entlernen)',
      auditLog:
        'Manipulationssicheres Protokoll (Hash-Kette mit signierten Prüfpunkten) für Einwilligungen, Anfragen und Zugriffe',
      keys: 'Zugriff nur mit Schlüssel je Shop',
    },
    ropaConsentRecords: 'Nachweis von Einwilligungen',
  },
  en: {
    dialogTitle: 'Personalization: you decide',
    dialogIntro:
      'How personal may this shop get with you? Choose a level. Until you choose, everything stays at level 0: we keep nothing about you, and the shop still works fully.',
    noticeTitle: 'Privacy notice on personalization',
    controller: 'Controller',
    dpo: 'Data protection officer',
    email: 'E-mail',
    levels: 'The levels',
    level: 'Level',
    purposesOfLevel: 'Purposes',
    noPurposes: 'none – we use nothing about you',
    reward: 'What you get',
    switches: 'Additional switches (off from the start)',
    purposeDetails: 'The purposes in detail',
    dataUsed: 'Data used',
    keptFor: 'Kept',
    legalBasis: 'Legal basis',
    recipients: 'Recipients',
    noRecipients: 'none',
    profiling: 'Profiling',
    yes: 'yes',
    no: 'no',
    marketingObjection:
      'This is direct marketing. You can object at any time; it then stops at once and without exception (Art. 21(2) and (3) GDPR).',
    categories: 'The data categories',
    kind: 'Source',
    withdrawal: 'Withdrawal',
    withdrawalAtOnce:
      'Withdrawal takes effect at once: we stop processing for the withdrawn purposes and erase the data we held only for them.',
    gpcTitle: 'The “Global Privacy Control” browser signal',
    gpc: 'If your browser sends the “Global Privacy Control” signal (Sec-GPC), we treat it as an objection to profiling: we go no further than level 1 and switch profiling off. Only if you then explicitly choose a higher level does your choice apply; we record that.',
    proofTitle: 'Proof of your choice',
    proof: (validity: string, retention: string) =>
      `We record every choice with its time and the exact text you saw (Art. 7(1) GDPR, legal obligation). A consent is valid for ${validity}; then we ask again. We keep these records for ${retention}.`,
    profilingTitle: 'Predictions and profiling (level 3)',
    profilingText:
      'At level 3 we compute predictions from your data, such as when you will need an item again or which category you will look at next. Every recommendation says why. The predictions only decide which items we show you and in which order, never prices or terms; they have no legal or similarly significant effect on you (Art. 22 GDPR).',
    rightsTitle: 'Your rights',
    rights: {
      access: 'Access to all data we hold about you, including predictions (Art. 15 GDPR)',
      correction: 'Correction of wrong data (Art. 16 GDPR)',
      removeInterests: 'Correction of wrong data and removal of interests we inferred (Art. 16 GDPR)',
      erasure: 'Erasure (Art. 17 GDPR)',
      restriction: 'Restriction: pause personalization while your data is kept (Art. 18 GDPR)',
      portability: 'Portability: taking your data with you in a common format (Art. 20 GDPR)',
      portabilityFormats: 'Taking your data with you as JSON or CSV (Art. 20 GDPR)',
      objection: 'Objection, in particular to direct marketing and profiling (Art. 21 GDPR)',
    },
    rightsHowCenter: (url: string) =>
      `Use the privacy center (${url}), free of charge; we answer within one month at the latest.`,
    rightsHowContact: (email: string) =>
      `Write to us at ${email}, free of charge; we answer within one month at the latest. Access, erasure, pausing and objection are carried out at once through the interface of our personalization service.`,
    complaintTitle: 'Complaints',
    complaint:
      'You can complain to a data protection supervisory authority, for example in your country or where the controller is established (Art. 77 GDPR).',
    complaintAuthority: 'The authority responsible for us is',
    session: (minutes: number) => `until your visit ends (after ${minutes} minutes without activity)`,
    durationJoin: ' and ',
    units: {
      years: ['year', 'years'],
      months: ['month', 'months'],
      weeks: ['week', 'weeks'],
      days: ['day', 'days'],
      hours: ['hour', 'hours'],
      minutes: ['minute', 'minutes'],
      seconds: ['second', 'seconds'],
    },
    kinds: {
      provided: 'provided by you',
      observed: 'observed',
      derived: 'derived',
      inferred: 'inferred',
    },
    bases: {
      consent: 'consent',
      legitimate_interest: 'legitimate interest',
      contract: 'contract',
      legal_obligation: 'legal obligation',
    },
    thirdCountry: 'outside the EEA',
    noticeLink: 'Full privacy notice',
    ropaTitle: 'Record of processing activities (Art. 30 GDPR)',
    ropaDataSubjects: 'Visitors and customers of the online shop',
    ropaPurpose: 'Purpose',
    ropaDataSubjectsLabel: 'Data subjects',
    ropaTransfers: 'Transfers to third countries',
    ropaNoTransfers: 'none',
    ropaTomsTitle: 'Technical and organisational measures (Art. 32 GDPR)',
    ropaToms: {
      pseudonymous: 'Event data only under a pseudonym',
      identityEncryption:
        'Name, e-mail address and postal address kept apart from event data and encrypted per person (AES-256-GCM, a key per person)',
      consentChecked: 'Data stored only after consent, checked for every event',
      automaticDeletion: 'Deleted automatically when its retention ends',
      exactErasure: 'Erasure also reaches caches and aggregate models (exact unlearning)',
      auditLog:
        'Tamper-evident log (hash chain with signed checkpoints) of consents, requests and data access',
      keys: 'Access only with a per-shop key',
    },
    ropaConsentRecords: 'Proof of consent',
  },
} satisfies Record<
  Language,
  {
    units: Record<DurationUnit, readonly [string, string]>;
    kinds: Record<CategoryKind, string>;
    bases: Record<LegalBasisType, string>;
    proof: (validity: string, retention: string) => string;
    session: (minutes: number) => string;
    rights: Record<
      | 'access'
      | 'correction'
      | 'removeInterests'
      | 'erasure'
      | 'restriction'
      | 'portability'
      | 'portabilityFormats'
      | 'objection',
      string
    >;
    rightsHowCenter: (url: string) => string;
    rightsHowContact: (email: string) => string;
    ropaToms: Record<
      | 'pseudonymous'
      | 'identityEncryption'
      | 'consentChecked'
      | 'automaticDeletion'
      | 'exactErasure'
      | 'auditLog'
      | 'keys',
      string
    >;
    [key: string]: unknown;
  }
>;

export type Wording = (typeof WORDING)[Language];

/** `P12M` → "12 Monate" / "12 months". */
export function durationText(duration: string, lang: Language): string {
  const w = WORDING[lang];
  const parts = durationParts(duration) ?? [];
  return parts.map(([unit, n]) => `${n} ${w.units[unit][n === 1 ? 0 : 1]}`).join(w.durationJoin);
}

/** How long a category is kept for a purpose: session-only purposes keep it for the visit only. */
export function retentionText(
  policy: Policy,
  retention: string,
  sessionOnly: boolean,
  lang: Language,
): string {
  if (sessionOnly || retention === 'session') return WORDING[lang].session(policy.session_timeout_minutes);
  return durationText(retention, lang);
}

/** EU and EEA member states; any other recipient country is a third country (Art. 44 ff.). */
const EEA = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK'.split(' '),
);
export const isThirdCountry = (country: string): boolean => !EEA.has(country);
