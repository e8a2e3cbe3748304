/**
 * The pages' own words in German (default) and English. The policy's texts (levels, purposes,
 * categories) come from the shop's policy instead. `satisfies` makes a key missing in one
 * language a compile error (T1 for these pages); a test checks that none is empty.
 */
const de = {
  locale: 'de-DE',
  skip: 'Zum Inhalt springen',
  stand: (date: string) => `Stand: ${date}`,
  noticeVersion: 'Version',
  notice: 'Datenschutzhinweise',
  record: 'Verzeichnis der Verarbeitungstätigkeiten',
  center: 'Datenschutz-Center',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  docsNav: 'Dokumente',
  generated:
    'Erstellt aus der Datenschutz-Richtlinie des Shops; dieselbe Quelle wie der Einwilligungsdialog.',

  // Privacy center
  centerIntro:
    'Hier sehen Sie alles, was dieser Shop für die Personalisierung über Sie gespeichert hat, und entscheiden, was er verwenden darf. Jede Änderung wirkt sofort.',
  centerWaiting: 'Einen Moment: Das Datenschutz-Center fragt die Shop-Seite, wer Sie sind …',
  centerNoIdentity:
    'Dieses Fenster kennt Sie nicht. Öffnen Sie das Datenschutz-Center aus dem Shop heraus: über „Datenschutz-Einstellungen“ auf jeder Seite des Shops oder über Ihr Kundenkonto. Ihre Kennung wird dabei nur zwischen den beiden Fenstern weitergereicht, nie in einer Adresse.',
  centerNoSubject:
    'Sie haben nichts erlaubt: Wir speichern nichts über Sie. Sie können hier eine Stufe wählen; das gilt dann sofort.',
  choiceTitle: 'Ihre Wahl',
  choiceIntro:
    'Eine Stufe für alles, dazu einzelne Schalter. Was eine Stufe verwendet, wie lange, und was Sie davon haben:',
  uses: 'Verwendet',
  kept: 'Gespeichert',
  get: 'Sie erhalten',
  nothingAboutYou: 'nichts über Sie',
  nothing: 'nichts',
  sameForAll: 'dieselben Vorschläge wie alle anderen',
  betterSuggestions: 'passendere Vorschläge',
  purposesTitle: 'Einzelne Zwecke',
  purposesIntro:
    'Die Zwecke Ihrer Stufe sind eingeschaltet; Sie können jeden einzeln ausschalten. Zusätzliche Schalter sind aus, bis Sie sie einschalten.',
  notInLevel: (levels: string) => `nur in Stufe ${levels}`,
  extraSwitch: 'zusätzlicher Schalter',
  save: 'Wahl speichern',
  current: (level: number, name: string) => `Aktuell: Stufe ${level} – ${name}.`,
  levelLine: (level: number, name: string) => `Stufe ${level} – ${name}.`,
  saved: (level: number, name: string) => `Gespeichert: Stufe ${level} – ${name}. Das gilt ab sofort.`,
  chooseFirst: 'Bitte wählen Sie zuerst eine Stufe.',
  failed: (why: string) => `Das hat nicht geklappt (${why}). Es bleibt alles, wie es war.`,
  unavailableHere: 'Das bietet dieser Server noch nicht an.',
  gpcNote:
    'Ihr Browser sendet „Global Privacy Control“. Wir werten das als Widerspruch gegen Profiling und gehen nicht über Stufe 1 hinaus, es sei denn, Sie wählen ausdrücklich mehr.',
  gpcConfirm: (level: number) =>
    `Ihr Browser sendet „Global Privacy Control“ (Widerspruch gegen Profiling). Trotzdem Stufe ${level} wählen?`,
  gpcOverride: (level: number) => `Ja, Stufe ${level} wählen`,
  controlsTitle: 'Pausieren und widersprechen',
  pause: 'Personalisierung pausieren',
  pauseHelp:
    'Ihre Daten bleiben gespeichert, werden aber nicht verwendet, bis Sie die Pause beenden (Art. 18 DSGVO).',
  objectMarketing: 'Widerspruch gegen Direktwerbung',
  objectMarketingHelp: 'Keine persönlichen Angebote mehr, ausnahmslos (Art. 21 Abs. 2 DSGVO).',
  objectProfiling: 'Widerspruch gegen Profiling',
  objectProfilingHelp: 'Keine Vorschläge mehr, die auf einem Profil von Ihnen beruhen (Art. 21 DSGVO).',
  dataTitle: 'Was wir über Sie wissen',
  dataIntro:
    'Jeder Datenpunkt, nach Kategorie: woher er stammt, wofür wir ihn verwenden und wann wir ihn löschen. Sie können einzelne entfernen oder für Vorschläge sperren.',
  dataNone: 'Wir haben keine Daten über Sie gespeichert.',
  dataElsewhere: 'Ihre Einwilligungen und Vorhersagen über Sie stehen weiter unten in eigenen Abschnitten.',
  eventTypes: {
    view: 'Angesehen',
    search: 'Gesucht',
    add_to_cart: 'In den Warenkorb gelegt',
    remove_from_cart: 'Aus dem Warenkorb genommen',
    purchase: 'Gekauft',
  } as Record<string, string>,
  sources: {
    provided: 'von Ihnen angegeben',
    observed: 'beobachtet',
    derived: 'abgeleitet',
    inferred: 'vorhergesagt',
  } as Record<string, string>,
  colWhat: 'Was',
  colWhen: 'Wann',
  colSource: 'Herkunft',
  colPurpose: 'Zweck',
  colExpires: 'Gelöscht am',
  colActions: 'Ändern',
  endOfVisit: 'mit Ende des Besuchs',
  remove: 'Entfernen',
  removeLabel: (what: string) => `Entfernen: ${what}`,
  dontUse: 'Nicht mehr verwenden',
  dontUseLabel: (what: string) => `Nicht mehr verwenden: ${what}`,
  removed: 'Entfernt.',
  excluded: 'Wird nicht mehr für Vorschläge verwendet.',
  exclusionsTitle: 'Gesperrt für Vorschläge',
  useAgain: 'Wieder verwenden',
  useAgainLabel: (what: string) => `Wieder verwenden: ${what}`,
  inferencesTitle: 'Was wir daraus ableiten',
  inferencesIntro:
    'Jede Vorhersage und jedes Interesse, das wir aus Ihren Daten berechnet haben, mit seiner Grundlage.',
  inferencesNone: 'Wir haben nichts über Sie abgeleitet.',
  historyTitle: 'Ihre Einwilligungen',
  historyIntro: 'Jede Entscheidung mit Zeitpunkt und dem genauen Text, den Sie dabei gesehen haben.',
  historyNone: 'Noch keine Entscheidung.',
  textSeen: 'Text, den Sie gesehen haben',
  method: 'Art',
  methods: {
    accept: 'Zustimmung',
    reject: 'Ablehnung',
    save: 'Auswahl gespeichert',
    gpc: 'Browser-Signal GPC',
    api: 'über den Shop',
  } as Record<string, string>,
  downloadTitle: 'Ihre Daten herunterladen',
  downloadIntro: 'Alles, was wir über Sie gespeichert haben, zum Mitnehmen (Art. 15 und 20 DSGVO).',
  downloadJson: 'Als JSON herunterladen',
  downloadCsv: 'Als CSV herunterladen',
  downloaded: 'Heruntergeladen.',
  deleteTitle: 'Alles löschen',
  deleteIntro:
    'Wir löschen alles, was wir über Sie gespeichert haben, auch aus den gemeinsamen Empfehlungslisten, und geben Ihnen eine Quittung. Die Nachweise Ihrer Einwilligungen bewahren wir auf, soweit das Gesetz es verlangt.',
  delete: 'Alle meine Daten löschen',
  deleteConfirm: 'Wirklich alles löschen? Das lässt sich nicht rückgängig machen.',
  deleteYes: 'Ja, endgültig löschen',
  deleteNo: 'Abbrechen',
  deleted: 'Gelöscht. Hier ist Ihre Quittung:',
  receipt: 'Löschquittung',
  removed_: {
    events: 'Ereignisse',
    sessions: 'Besuche',
    consent_state: 'Einwilligungsstand',
    exclusions: 'Ausschlüsse',
    objections: 'Widersprüche',
    identity_keys: 'Schlüssel Ihrer Kontaktdaten (vernichtet)',
    identity_fields: 'Kontaktdaten',
    idempotency_answers: 'Gespeicherte Antworten auf Ihre wiederholbaren Anfragen',
    'shared_models.sessions': 'Besuche in den gemeinsamen Empfehlungslisten',
    'shared_models.interactions': 'Einträge in den gemeinsamen Empfehlungslisten',
  } as Record<string, string>,
  loading: 'Lädt …',
} as const;

type Texts = {
  [K in keyof typeof de]: (typeof de)[K] extends (...a: infer A) => string
    ? (...a: A) => string
    : (typeof de)[K] extends string
      ? string
      : Record<string, string>;
};

const en: Texts = {
  locale: 'en-GB',
  skip: 'Skip to content',
  stand: (date) => `As of ${date}`,
  noticeVersion: 'version',
  notice: 'Privacy notice',
  record: 'Record of processing activities',
  center: 'Privacy center',
  otherLanguage: 'Deutsch',
  otherLanguageCode: 'de',
  docsNav: 'Documents',
  generated: "Generated from the shop's privacy policy; the same source as the consent dialog.",

  centerIntro:
    'Here you see everything this shop has stored about you for personalization, and decide what it may use. Every change takes effect at once.',
  centerWaiting: 'One moment: the privacy center is asking the shop page who you are …',
  centerNoIdentity:
    'This window does not know you. Open the privacy center from the shop: through “Privacy settings” on every page of the shop or through your customer account. Your identifier then passes only between the two windows, never in an address.',
  centerNoSubject:
    'You have not allowed anything: we keep nothing about you. You can choose a level here; it takes effect at once.',
  choiceTitle: 'Your choice',
  choiceIntro:
    'One level for everything, plus single switches. What a level uses, for how long, and what you get:',
  uses: 'Uses',
  kept: 'Kept',
  get: 'You get',
  nothingAboutYou: 'nothing about you',
  nothing: 'nothing',
  sameForAll: 'the same suggestions as everyone else',
  betterSuggestions: 'better-suited suggestions',
  purposesTitle: 'Single purposes',
  purposesIntro:
    "Your level's purposes are on; you can turn each one off. Additional switches stay off until you turn them on.",
  notInLevel: (levels) => `only in level ${levels}`,
  extraSwitch: 'additional switch',
  save: 'Save choice',
  current: (level, name) => `Now: level ${level} – ${name}.`,
  levelLine: (level, name) => `Level ${level} – ${name}.`,
  saved: (level, name) => `Saved: level ${level} – ${name}. This applies from now on.`,
  chooseFirst: 'Please choose a level first.',
  failed: (why) => `That did not work (${why}). Everything stays as it was.`,
  unavailableHere: 'This server does not offer that yet.',
  gpcNote:
    'Your browser sends “Global Privacy Control”. We treat it as an objection to profiling and go no further than level 1 unless you explicitly choose more.',
  gpcConfirm: (level) =>
    `Your browser sends “Global Privacy Control” (an objection to profiling). Choose level ${level} anyway?`,
  gpcOverride: (level) => `Yes, choose level ${level}`,
  controlsTitle: 'Pause and object',
  pause: 'Pause personalization',
  pauseHelp: 'Your data stays stored but is not used until you end the pause (Art. 18 GDPR).',
  objectMarketing: 'Object to direct marketing',
  objectMarketingHelp: 'No more personal offers, without exception (Art. 21(2) GDPR).',
  objectProfiling: 'Object to profiling',
  objectProfilingHelp: 'No more suggestions based on a profile of you (Art. 21 GDPR).',
  dataTitle: 'What we know about you',
  dataIntro:
    'Every data point, by category: where it came from, what we use it for, and when we delete it. You can remove single ones or block them from suggestions.',
  dataNone: 'We have no data stored about you.',
  dataElsewhere:
    'Your consents and the predictions about you are listed further down, in sections of their own.',
  eventTypes: {
    view: 'Viewed',
    search: 'Searched',
    add_to_cart: 'Put into the cart',
    remove_from_cart: 'Taken out of the cart',
    purchase: 'Bought',
  },
  sources: { provided: 'provided by you', observed: 'observed', derived: 'derived', inferred: 'inferred' },
  colWhat: 'What',
  colWhen: 'When',
  colSource: 'Source',
  colPurpose: 'Purpose',
  colExpires: 'Deleted on',
  colActions: 'Change',
  endOfVisit: 'when the visit ends',
  remove: 'Remove',
  removeLabel: (what) => `Remove: ${what}`,
  dontUse: 'Stop using this',
  dontUseLabel: (what) => `Stop using this: ${what}`,
  removed: 'Removed.',
  excluded: 'No longer used for suggestions.',
  exclusionsTitle: 'Blocked from suggestions',
  useAgain: 'Use again',
  useAgainLabel: (what) => `Use again: ${what}`,
  inferencesTitle: 'What we derive from it',
  inferencesIntro: 'Every prediction and interest we computed from your data, with what it is based on.',
  inferencesNone: 'We have derived nothing about you.',
  historyTitle: 'Your consents',
  historyIntro: 'Every decision with its time and the exact text you saw.',
  historyNone: 'No decision yet.',
  textSeen: 'Text you saw',
  method: 'How',
  methods: {
    accept: 'accepted',
    reject: 'rejected',
    save: 'selection saved',
    gpc: 'browser signal GPC',
    api: 'through the shop',
  },
  downloadTitle: 'Download your data',
  downloadIntro: 'Everything we have stored about you, to take with you (Art. 15 and 20 GDPR).',
  downloadJson: 'Download as JSON',
  downloadCsv: 'Download as CSV',
  downloaded: 'Downloaded.',
  deleteTitle: 'Delete everything',
  deleteIntro:
    'We delete everything we have stored about you, from the shared recommendation lists too, and give you a receipt. We keep the proof of your consents as far as the law requires.',
  delete: 'Delete all my data',
  deleteConfirm: 'Really delete everything? This cannot be undone.',
  deleteYes: 'Yes, delete for good',
  deleteNo: 'Cancel',
  deleted: 'Deleted. Here is your receipt:',
  receipt: 'Erasure receipt',
  removed_: {
    events: 'Events',
    sessions: 'Visits',
    consent_state: 'Consent state',
    exclusions: 'Exclusions',
    objections: 'Objections',
    identity_keys: 'Key of your contact details (destroyed)',
    identity_fields: 'Contact details',
    idempotency_answers: 'Stored answers to your repeatable requests',
    'shared_models.sessions': 'Visits in the shared recommendation lists',
    'shared_models.interactions': 'Entries in the shared recommendation lists',
  },
  loading: 'Loading …',
};

export type Lang = 'de' | 'en';
export type PageTexts = Texts;
export const TEXTS: Record<Lang, Texts> = { de, en };

export const langOf = (v: unknown): Lang => (v === 'en' ? 'en' : 'de');

/** "23. November 2026" / "23 November 2026", in the shop's time zone (Germany). */
export function formatDate(ms: number, lang: Lang): string {
  return new Intl.DateTimeFormat(TEXTS[lang].locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  }).format(ms);
}
