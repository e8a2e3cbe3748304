import type { Language } from '@vitrine/contracts';
import { compilePolicy } from './compile';
import { PolicyError } from './errors';
import { noticeText, renderNotice } from './notice';
import { recordOfProcessing, renderRecordOfProcessing } from './ropa';
import type { Policy } from './schema';

const LANGUAGES: readonly Language[] = ['de', 'en'];

/**
 * Builds everything a shop builds from its policy: the lookup tables, the dialog text, the
 * notice and the record of processing in both languages. `vitrine policy check` runs it, so a
 * policy it calls valid cannot fail later when a shop loads it. A failure here is a bug in
 * this package; it is reported against the file, not as a stack trace.
 */
export function checkPolicyBuilds(policy: Policy, source: string): void {
  try {
    compilePolicy(policy);
    recordOfProcessing(policy);
    for (const lang of LANGUAGES) {
      noticeText(policy, lang);
      renderNotice(policy, lang);
      renderRecordOfProcessing(policy, lang);
    }
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new PolicyError(
      source,
      '',
      `the policy validates but its documents cannot be built (${why}); please report this as a bug`,
      { cause },
    );
  }
}
