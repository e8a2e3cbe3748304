import { LANGUAGES, type Language } from '@vitrine/contracts';
import { type CompiledPolicy, noticeText, sha256Hex } from '@vitrine/policy';
import type { NoticeRef } from './schema';

/** A notice version as published: the exact text shown plus its hash (store it, C10). */
export interface PublishedNotice extends NoticeRef {
  text: string;
  scope_hash: string;
}

export function publishNotice(
  compiled: CompiledPolicy,
  version: number,
  language: Language,
): PublishedNotice {
  const text = noticeText(compiled.policy, language);
  return {
    id: compiled.policy.notice_id,
    version,
    language,
    text,
    text_hash: sha256Hex(text),
    scope_hash: compiled.scopeHash,
  };
}

/** What the last published notice was (as stored), to decide whether the version moves on. */
export interface PreviousNotice {
  version: number;
  scopeHash: string;
  /** Text hashes of the stored notice per language; a different text also needs a new version. */
  textHashes?: Partial<Record<Language, string>>;
}

/**
 * The notice version for the current policy (C11). A changed scope (purposes, categories,
 * recipients) bumps the version and asks affected customers again. A changed text alone also
 * bumps it — so that each stored version has one exact text (C10) — but asks nobody again:
 * re-consent follows from the per-purpose scope hashes, not from the version number.
 */
export function noticeVersionFor(
  previous: PreviousNotice | undefined,
  compiled: CompiledPolicy,
): { version: number; scopeChanged: boolean } {
  if (previous === undefined) return { version: 1, scopeChanged: false };
  const scopeChanged = previous.scopeHash !== compiled.scopeHash;
  const textChanged = LANGUAGES.some((lang) => {
    const stored = previous.textHashes?.[lang];
    return stored !== undefined && stored !== sha256Hex(noticeText(compiled.policy, lang));
  });
  return { version: scopeChanged || textChanged ? previous.version + 1 : previous.version, scopeChanged };
}
