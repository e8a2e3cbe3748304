/**
 * What `verifyLog` found, in words, in German (default) and English. Each variant has a text
 * per language; a missing one does not compile.
 */
export type Lang = 'de' | 'en';

export interface ProblemParams {
  seq?: number | undefined;
  position?: number | undefined;
  lastSeq?: number | undefined;
  otherSeq?: number | undefined;
  otherPosition?: number | undefined;
  found?: number | undefined;
  field?: string | undefined;
  reason?: string | undefined;
  checkpoint?: number | undefined;
  size?: number | undefined;
  entries?: number | undefined;
  time?: string | undefined;
  shop?: string | undefined;
  expectedShop?: string | undefined;
}

type Template = (p: Required<ProblemParams>) => string;

const range = (a: number, b: number): string => (a === b ? `${a}` : `${a}–${b}`);

export const PROBLEM_TEXTS = {
  malformed: {
    de: (p) => `Eintrag an Position ${p.position}: Feld „${p.field}“ ist ungültig (${p.reason}).`,
    en: (p) => `entry at position ${p.position}: field "${p.field}" is not valid (${p.reason}).`,
  },
  wrong_shop: {
    de: (p) => `Eintrag ${p.seq} gehört zum Shop ${p.shop}, das Protokoll zu ${p.expectedShop}.`,
    en: (p) => `entry ${p.seq} belongs to shop ${p.shop}, the log to ${p.expectedShop}.`,
  },
  removed_gap: {
    de: (p) =>
      `Eintrag ${range(p.seq, p.lastSeq)} wurde entfernt: auf Eintrag ${p.seq - 1} folgt Eintrag ${p.lastSeq + 1}.`,
    en: (p) =>
      `entry ${range(p.seq, p.lastSeq)} was removed: entry ${p.seq - 1} is followed by entry ${p.lastSeq + 1}.`,
  },
  removed_tail: {
    de: (p) =>
      `Eintrag ${range(p.seq, p.lastSeq)} wurde entfernt: der signierte Prüfpunkt vom ${p.time} umfasst ${p.size} Einträge, das Protokoll enthält ${p.entries}.`,
    en: (p) =>
      `entry ${range(p.seq, p.lastSeq)} was removed: the signed checkpoint of ${p.time} covers ${p.size} entries, the log holds ${p.entries}.`,
  },
  inserted: {
    de: (p) =>
      `An Position ${p.position} wurde ein Eintrag eingefügt: die Nummer ${p.seq} steht auch an Position ${p.otherPosition}.`,
    en: (p) =>
      `an entry was inserted at position ${p.position}: seq ${p.seq} also stands at position ${p.otherPosition}.`,
  },
  reordered: {
    de: (p) =>
      `Die Reihenfolge wurde geändert: Eintrag ${p.seq} steht an Position ${p.position}, vor Eintrag ${p.otherSeq}.`,
    en: (p) =>
      `the order was changed: entry ${p.seq} is at position ${p.position}, before entry ${p.otherSeq}.`,
  },
  changed_content: {
    de: (p) =>
      `Eintrag ${p.seq} wurde geändert: sein Hash stimmt nicht mehr mit dem in Eintrag ${p.otherSeq} vermerkten überein.`,
    en: (p) =>
      `entry ${p.seq} was changed: its hash no longer matches the one recorded in entry ${p.otherSeq}.`,
  },
  changed_last_link: {
    de: (p) =>
      `Eintrag ${p.seq} oder der Verweis in Eintrag ${p.otherSeq} wurde geändert: der Hash von Eintrag ${p.seq} stimmt nicht mit dem in Eintrag ${p.otherSeq} vermerkten überein.`,
    en: (p) =>
      `entry ${p.seq} or the link in entry ${p.otherSeq} was changed: the hash of entry ${p.seq} does not match the one recorded in entry ${p.otherSeq}.`,
  },
  changed_link: {
    de: (p) =>
      `Eintrag ${p.seq} wurde geändert: er verweist nicht auf den Hash von Eintrag ${p.seq - 1}, und sein eigener Hash stimmt nicht mit dem in Eintrag ${p.seq + 1} überein.`,
    en: (p) =>
      `entry ${p.seq} was changed: it does not point at the hash of entry ${p.seq - 1}, and its own hash does not match the one recorded in entry ${p.seq + 1}.`,
  },
  changed_genesis: {
    de: () => 'Eintrag 0 wurde geändert: er verweist nicht auf den Anfangswert (64 Nullen).',
    en: () => 'entry 0 was changed: it does not point at the genesis value (64 zeros).',
  },
  changed_seq: {
    de: (p) =>
      `Eintrag ${p.seq} wurde geändert: an Position ${p.position} steht die Nummer ${p.found} statt ${p.seq}.`,
    en: (p) =>
      `entry ${p.seq} was changed: position ${p.position} carries seq ${p.found} instead of ${p.seq}.`,
  },
  chain_broken: {
    de: (p) =>
      `Ab Eintrag ${p.seq} ist die Hash-Kette unterbrochen: die Einträge ab hier wurden neu geschrieben, oder Einträge wurden eingefügt oder entfernt und die folgenden neu nummeriert.`,
    en: (p) =>
      `the hash chain breaks from entry ${p.seq} on: the entries from here were rewritten, or entries were inserted or removed and the rest renumbered.`,
  },
  bad_signature: {
    de: (p) => `Prüfpunkt ${p.checkpoint} (Größe ${p.size}): die Signatur ist ungültig.`,
    en: (p) => `checkpoint ${p.checkpoint} (size ${p.size}): the signature is not valid.`,
  },
  not_signed_by_key: {
    de: (p) =>
      `Prüfpunkt ${p.checkpoint} (Größe ${p.size}) trägt keine Signatur dieses öffentlichen Schlüssels.`,
    en: (p) => `checkpoint ${p.checkpoint} (size ${p.size}) carries no signature by this public key.`,
  },
  unreadable_checkpoint: {
    de: (p) => `Prüfpunkt ${p.checkpoint} ist kein lesbarer signierter Prüfpunkt (${p.reason}).`,
    en: (p) => `checkpoint ${p.checkpoint} is not a readable signed checkpoint (${p.reason}).`,
  },
  checkpoint_shop: {
    de: (p) => `Prüfpunkt ${p.checkpoint} gehört zum Shop ${p.shop}, das Protokoll zu ${p.expectedShop}.`,
    en: (p) => `checkpoint ${p.checkpoint} belongs to shop ${p.shop}, the log to ${p.expectedShop}.`,
  },
  checkpoint_root: {
    de: (p) =>
      `Die Einträge passen nicht zum signierten Prüfpunkt vom ${p.time} (${p.size} Einträge): ein Eintrag im Bereich ${range(p.seq, p.lastSeq)} wurde geändert, eingefügt oder entfernt und die Kette neu berechnet.`,
    en: (p) =>
      `the entries do not match the signed checkpoint of ${p.time} (${p.size} entries): an entry in ${range(p.seq, p.lastSeq)} was changed, inserted or removed and the chain recomputed.`,
  },
} as const satisfies Record<string, Record<Lang, Template>>;

export type ProblemVariant = keyof typeof PROBLEM_TEXTS;

export function problemText(variant: ProblemVariant, params: ProblemParams, lang: Lang): string {
  const p = {
    seq: 0,
    position: 0,
    lastSeq: 0,
    otherSeq: 0,
    otherPosition: 0,
    found: 0,
    field: '',
    reason: '',
    checkpoint: 0,
    size: 0,
    entries: 0,
    time: '',
    shop: '',
    expectedShop: '',
    ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
  } as Required<ProblemParams>;
  return PROBLEM_TEXTS[variant][lang](p);
}

export const OK_TEXT: Record<Lang, (entries: number, checkpoints: number, unanchored: number) => string> = {
  de: (n, c, u) =>
    `Protokoll in Ordnung: ${n} Einträge, Hash-Kette lückenlos, ${c} signierte Prüfpunkte passen.` +
    (u > 0 ? ` ${u} Einträge nach dem letzten Prüfpunkt sind nur durch die Kette gesichert.` : ''),
  en: (n, c, u) =>
    `log intact: ${n} entries, hash chain unbroken, ${c} signed checkpoints match.` +
    (u > 0 ? ` ${u} entries after the last checkpoint are protected by the chain only.` : ''),
};

export type ProofFailure = 'malformed' | 'bad_signature' | 'not_included' | 'inconsistent';

export const PROOF_TEXTS = {
  included: {
    de: (seq: number, shop: string, time: string, size: number) =>
      `Eintrag ${seq} ist unverändert im Protokoll von ${shop} enthalten (signierter Prüfpunkt vom ${time}, ${size} Einträge).`,
    en: (seq: number, shop: string, time: string, size: number) =>
      `entry ${seq} is in the log of ${shop}, unchanged (signed checkpoint of ${time}, ${size} entries).`,
  },
  consistent: {
    de: (a: number, b: number, time: string) =>
      `Das Protokoll mit ${b} Einträgen (Prüfpunkt vom ${time}) setzt das mit ${a} Einträgen unverändert fort.`,
    en: (a: number, b: number, time: string) =>
      `the log of ${b} entries (checkpoint of ${time}) extends the log of ${a} entries unchanged.`,
  },
  failed: {
    de: {
      malformed: 'Der Nachweis ist nicht lesbar',
      bad_signature: 'Der Prüfpunkt trägt keine gültige Signatur dieses Schlüssels',
      not_included: 'Der Eintrag ist nicht oder nicht unverändert im signierten Protokoll enthalten',
      inconsistent: 'Das neuere Protokoll setzt das ältere nicht unverändert fort',
    },
    en: {
      malformed: 'the proof cannot be read',
      bad_signature: 'the checkpoint carries no valid signature by this key',
      not_included: 'the entry is not in the signed log, or not unchanged',
      inconsistent: 'the newer log does not extend the older one unchanged',
    },
  } satisfies Record<Lang, Record<ProofFailure, string>>,
};
