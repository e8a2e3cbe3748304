/**
 * Every text the SDK shows of its own, in German (default) and English. The policy's texts
 * (levels, purposes, controller …) come from the shop's notice instead, so that they match the
 * policy and the text hashed into the consent record. `satisfies` makes a key missing in one
 * language a compile error (T1 for the SDK's own texts).
 */
const de = {
  settings: 'Datenschutz-Einstellungen',
  center: 'Datenschutz-Center',
  openCenter: 'Datenschutz-Center: alles, was wir über Sie gespeichert haben',
  close: 'Schließen',
  reject: 'Ablehnen',
  accept: 'Akzeptieren',
  save: 'Auswahl speichern',
  details: 'Details und Einstellungen',
  back: 'Zurück zur Übersicht',
  uses: 'Verwendet',
  kept: 'Gespeichert',
  get: 'Sie erhalten',
  nothingAboutYou: 'nichts über Sie',
  nothing: 'nichts',
  sameForAll: 'dieselben Vorschläge wie alle anderen',
  betterSuggestions: 'passendere Vorschläge',
  current: (level: number, name: string) => `Aktuell: Stufe ${level} – ${name}`,
  chooseFirst: 'Bitte wählen Sie zuerst oben eine Stufe und dann „Akzeptieren“.',
  saved: (level: number, name: string) => `Gespeichert: Stufe ${level} – ${name}.`,
  failed: (level: number) =>
    `Das hat nicht geklappt; Ihre Wahl ist nicht gespeichert. Es bleibt bei Stufe ${level}.`,
  loading: 'Lädt …',
  unavailable:
    'Die Einstellungen lassen sich gerade nicht laden. Es bleibt bei Stufe 0: Wir speichern nichts über Sie, und der Shop funktioniert trotzdem vollständig.',
  gpcNote:
    'Ihr Browser sendet das Signal „Global Privacy Control“. Wir werten es als Widerspruch gegen Profiling und gehen deshalb nicht über Stufe 1 hinaus – es sei denn, Sie wählen ausdrücklich mehr.',
  gpcConflict: (level: number) =>
    `Sie haben Stufe ${level} gewählt. Ihr Browser sendet aber „Global Privacy Control“. Das werten wir als Widerspruch gegen Profiling und gehen deshalb nicht über Stufe 1 hinaus. Was soll gelten?`,
  gpcKeep: 'Bei Stufe 1 bleiben',
  gpcOverride: (level: number) => `Trotzdem Stufe ${level} wählen`,
  inLevels: (levels: string) => `Teil von Stufe ${levels}`,
  switchOff: 'Zusätzlicher Schalter, von Anfang an aus',
  use: 'Verwenden',
  why: 'Warum?',
  whyTitle: 'Warum Sie das sehen',
  dataUsed: 'Verwendete Daten',
  notPersonal: 'Dieser Vorschlag beruht nicht auf Daten über Sie.',
  otherData:
    'Ohne diese Daten sähen Sie hier Vorschläge wie alle anderen. Das können Sie jederzeit wählen: mit dem Schalter „Ohne Personalisierung“ oder in den Datenschutz-Einstellungen.',
  dontUse: 'Nicht mehr verwenden',
  dontUseDone: 'Erledigt: Das verwenden wir nicht mehr für Vorschläge.',
  dontUseUnavailable:
    'Das lässt sich hier noch nicht einzeln abschalten. Schalten Sie „Ohne Personalisierung“ ein oder wählen Sie in den Datenschutz-Einstellungen Stufe 0.',
  nonPersonalized: 'Ohne Personalisierung',
  recommendations: 'Empfehlungen',
  noItems: 'Gerade keine Vorschläge.',
  loadFailed: 'Die Vorschläge lassen sich gerade nicht laden.',
  onDevice: (title: string) =>
    `Passt zu „${title}“, das Sie in diesem Besuch angesehen haben. Auf Ihrem Gerät berechnet; nichts davon hat Ihr Gerät verlassen.`,
  onDeviceData: 'Ihr aktueller Besuch, nur auf diesem Gerät',
  sessionData: 'Ihr aktueller Besuch',
  historyData: 'Ihr bisheriger Verlauf in diesem Shop',
  seen: (items: string) => `Grundlage: ${items}`,
  at: (times: string) => `am ${times}`,
  locale: 'de-DE',
} as const;

type Messages = {
  [K in keyof typeof de]: (typeof de)[K] extends (...a: infer A) => string ? (...a: A) => string : string;
};

const en: Messages = {
  settings: 'Privacy settings',
  center: 'Privacy center',
  openCenter: 'Privacy center: everything we have stored about you',
  close: 'Close',
  reject: 'Reject',
  accept: 'Accept',
  save: 'Save selection',
  details: 'Details and settings',
  back: 'Back to the overview',
  uses: 'Uses',
  kept: 'Kept',
  get: 'You get',
  nothingAboutYou: 'nothing about you',
  nothing: 'nothing',
  sameForAll: 'the same suggestions as everyone else',
  betterSuggestions: 'better-suited suggestions',
  current: (level, name) => `Now: level ${level} – ${name}`,
  chooseFirst: 'Please choose a level above first, then “Accept”.',
  saved: (level, name) => `Saved: level ${level} – ${name}.`,
  failed: (level) => `That did not work; your choice is not saved. You stay at level ${level}.`,
  loading: 'Loading …',
  unavailable:
    'The settings cannot be loaded right now. You stay at level 0: we keep nothing about you, and the shop still works fully.',
  gpcNote:
    'Your browser sends the “Global Privacy Control” signal. We treat it as an objection to profiling and so go no further than level 1 – unless you explicitly choose more.',
  gpcConflict: (level) =>
    `You chose level ${level}. But your browser sends “Global Privacy Control”. We treat that as an objection to profiling and so go no further than level 1. Which should apply?`,
  gpcKeep: 'Stay at level 1',
  gpcOverride: (level) => `Choose level ${level} anyway`,
  inLevels: (levels) => `Part of level ${levels}`,
  switchOff: 'Additional switch, off from the start',
  use: 'Use',
  why: 'Why?',
  whyTitle: 'Why you see this',
  dataUsed: 'Data used',
  notPersonal: 'This suggestion is not based on data about you.',
  otherData:
    'Without this data you would see the same suggestions as everyone else here. You can choose that at any time: with the “Without personalization” switch or in the privacy settings.',
  dontUse: 'Stop using this',
  dontUseDone: 'Done: we no longer use this for suggestions.',
  dontUseUnavailable:
    'This cannot be switched off on its own here yet. Turn on “Without personalization” or choose level 0 in the privacy settings.',
  nonPersonalized: 'Without personalization',
  recommendations: 'Recommendations',
  noItems: 'No suggestions right now.',
  loadFailed: 'The suggestions cannot be loaded right now.',
  onDevice: (title) =>
    `Goes with “${title}”, which you viewed during this visit. Computed on your device; none of it left your device.`,
  onDeviceData: 'Your current visit, only on this device',
  sessionData: 'Your current visit',
  historyData: 'Your earlier history in this shop',
  seen: (items) => `Based on: ${items}`,
  at: (times) => `on ${times}`,
  locale: 'en-GB',
};

export type Lang = 'de' | 'en';
export const MESSAGES: Record<Lang, Messages> = { de, en };

export function langOf(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'de';
}
