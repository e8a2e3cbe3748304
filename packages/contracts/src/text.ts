import { z } from 'zod';

/**
 * Stable codes of the field issues this package raises itself, beside zod's own codes
 * (`too_small`, `invalid_type`, …). A client can branch on them; `issueCode` reads them.
 */
export const ISSUE_CODES = {
  /** A string that cannot be stored as text: a NUL character or a lone UTF-16 surrogate. */
  invalidText: 'invalid_text',
  /** An object key that every JavaScript object already has (`__proto__`, `constructor`, …). */
  reservedKey: 'reserved_key',
} as const;
export type IssueCode = (typeof ISSUE_CODES)[keyof typeof ISSUE_CODES];

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** The fast path, run on every stored string at ingest: no NUL and no surrogate at all. */
function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * Why a string cannot be stored, or undefined when it can. NUL ends strings in C libraries and
 * PostgreSQL refuses it in text; a lone surrogate is not Unicode at all and becomes invalid
 * UTF-8 (or a silent U+FFFD) on the way to disk. Positions count UTF-16 code units from 0.
 */
export function textProblem(s: string): string | undefined {
  if (isPlainText(s)) return undefined;
  const nul = s.indexOf('\u0000');
  const lone = LONE_SURROGATE.exec(s);
  if (nul === -1 && lone === null) return undefined;
  if (lone === null || (nul !== -1 && nul < lone.index)) {
    return `contains the NUL character (U+0000) at position ${nul}, which cannot be stored; remove it and send the text again`;
  }
  return `contains a lone UTF-16 surrogate (${hex(lone[0].charCodeAt(0))}) at position ${lone.index}, which is not valid Unicode; send well-formed UTF-8 text`;
}

/** The zod check every stored string carries: refuses NUL and lone surrogates, naming the field. */
export const wellFormedText = z.superRefine((s: string, ctx) => {
  const problem = textProblem(s);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: problem, input: s, params: { code: ISSUE_CODES.invalidText } });
  }
});

/** A string schema that refuses NUL and lone surrogates; the base of every stored string. */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).check(wellFormedText);

/** The stable code of a zod issue: ours (`invalid_text`, `reserved_key`) for custom issues, else zod's. */
export function issueCode(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') {
    const code = (issue.params as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') return code;
  }
  return issue.code;
}
