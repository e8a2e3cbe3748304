import { type ConsentUpdateRequest, type Level, own } from '@vitrine/contracts';
import { addDuration, type CompiledPolicy, levelPurposes } from '@vitrine/policy';
import { ConsentError } from './errors';
import { buildRecord } from './record';
import type { ConsentEventType, ConsentRecord, ConsentState, DpvState, NoticeRef } from './schema';
import { effectiveState, grantedPurposes, initialState } from './state';

export interface Decision {
  state: ConsentState;
  record: ConsentRecord;
}

interface Common {
  compiled: CompiledPolicy;
  /** The current notice, in the language of the dialog the customer saw. */
  notice: NoticeRef;
  subjectId: string;
  /** The stored state; undefined for a subject never seen. */
  previous?: ConsentState | undefined;
  now: number;
  /** Record id; a fresh `cns_…` id when omitted. */
  recordId?: string;
}

export interface DecideInput extends Common {
  request: ConsentUpdateRequest;
  /** `Sec-GPC: 1` (or `navigator.globalPrivacyControl`) was seen with this request. */
  gpc: boolean;
}

/** States whose consent, given again on a newer notice, is a renewal (C12). */
const RENEWABLE: ReadonlySet<DpvState> = new Set(['given', 'renewed', 'invalidated', 'expired']);

/** The state and record of a new set of granted purposes; everything else follows from it. */
function transition(
  input: Common,
  before: ConsentState,
  after: {
    level: Level;
    granted: ReadonlySet<string>;
    gpc: boolean;
    /** Purposes the choice covered (granted or not); the state lists each of them. */
    covered: Iterable<string>;
    noticeVersion: number;
  },
  event: Pick<ConsentRecord, 'method' | 'gpc'> & {
    type?: ConsentEventType;
    dpv?: DpvState;
    /** A change that only takes purposes away keeps the time the consent runs out. */
    keepValidity?: boolean;
  },
): Decision {
  const { compiled, notice, now } = input;
  const was = new Set(grantedPurposes(before));
  const withdrawn = [...was].filter((id) => !after.granted.has(id)).sort();
  const added = [...after.granted].some((id) => !was.has(id));
  const reconsent = before.noticeVersion > 0 && before.noticeVersion < after.noticeVersion;

  let dpv: DpvState;
  let type: ConsentEventType;
  if (after.granted.size === 0) {
    [dpv, type] = was.size > 0 ? ['withdrawn', 'consent_withdrawn'] : ['refused', 'consent_refused'];
  } else if (reconsent && RENEWABLE.has(before.dpvState)) {
    [dpv, type] = ['renewed', 'consent_renewed'];
  } else {
    [dpv, type] = ['given', withdrawn.length > 0 && !added ? 'consent_withdrawn' : 'consent_given'];
  }

  const purposes: Record<string, boolean> = {};
  for (const id of after.covered) purposes[id] = after.granted.has(id);
  const purposeScopes: Record<string, string> = {};
  for (const id of after.granted) purposeScopes[id] = compiled.purposeScopes.get(id) ?? '';

  const state: ConsentState = {
    subjectId: input.subjectId,
    level: after.level,
    purposes,
    noticeVersion: after.noticeVersion,
    gpc: after.gpc,
    paused: before.paused,
    dpvState: event.dpv ?? dpv,
    validUntil:
      after.granted.size === 0
        ? null
        : event.keepValidity && before.validUntil !== null
          ? before.validUntil
          : addDuration(now, compiled.consentValidity),
    purposeScopes,
  };
  const record = buildRecord(
    compiled,
    state,
    {
      notice,
      event_type: event.type ?? type,
      method: event.method,
      gpc: event.gpc,
      withdrawn_purposes: withdrawn,
    },
    now,
    input.recordId,
  );
  return { state, record };
}

/** The consent that holds before this change: the stored one as it holds now, or level 0. */
function currentState(input: Common): ConsentState {
  return effectiveState(
    input.previous ?? initialState(input.subjectId),
    input.notice,
    input.compiled,
    input.now,
  ).state;
}

function validate(input: DecideInput): void {
  const { compiled, notice, request } = input;
  if (request.notice_version !== notice.version) {
    throw new ConsentError(
      'stale_notice',
      'notice_version',
      `the choice was made on notice version ${request.notice_version}, but version ${notice.version} is current`,
    );
  }
  if (request.language !== notice.language) {
    throw new ConsentError(
      'notice_language',
      'language',
      `the notice given is in ${notice.language}, not ${request.language}`,
    );
  }
  const bundle = levelPurposes(compiled, request.level);
  // Own keys only, and every lookup below is a Map or Set: a purpose named `constructor` is
  // an unknown purpose like any other (the contract refuses built-in names earlier).
  for (const [id, on] of Object.entries(request.purposes)) {
    const field = `purposes.${id}`;
    if (!compiled.purposes.has(id))
      throw new ConsentError('unknown_purpose', field, `"${id}" is not a declared purpose`);
    if (on && !compiled.switches.has(id) && !bundle.has(id)) {
      throw new ConsentError(
        'purpose_not_in_level',
        field,
        `"${id}" is neither a switch nor part of level ${request.level}; choose a level that includes it`,
      );
    }
  }
}

/**
 * An explicit choice in the consent dialog or privacy center. Level purposes come as a bundle
 * (each may be turned off); marketing purposes are never in a bundle, only on by their own
 * switch (O3). With a GPC signal and no `override_gpc`, the level is capped at 1 and profiling
 * switches stay off (O1) — the record then says method `gpc` and what was asked for.
 */
export function decide(input: DecideInput): Decision {
  validate(input);
  const { compiled, request } = input;
  const before = currentState(input);
  const gpc = input.gpc || before.gpc;
  const honourGpc = gpc && !request.override_gpc;
  const level: Level = honourGpc && request.level > 1 ? 1 : request.level;

  const granted = new Set(
    [...levelPurposes(compiled, level)].filter((id) => own(request.purposes, id) !== false),
  );
  for (const id of compiled.switches) if (own(request.purposes, id) === true) granted.add(id);
  let gpcChangedIt = level !== request.level;
  if (honourGpc) {
    for (const id of granted) {
      if (compiled.purposes.get(id)?.profiling) {
        granted.delete(id);
        gpcChangedIt = true;
      }
    }
  }
  const covered = [...levelPurposes(compiled, 3), ...compiled.switches];
  const after = { level, granted, gpc, covered, noticeVersion: input.notice.version };
  return transition(input, before, after, {
    method: gpcChangedIt ? 'gpc' : request.method,
    gpc: { signal: gpc, override: gpc && request.override_gpc, requested_level: request.level },
  });
}

/**
 * A GPC signal seen without an explicit choice (O1): caps the level at 1 and turns profiling
 * off, recorded with method `gpc`. Returns null when the signal is already on record.
 */
export function applyGpc(input: Common): Decision | null {
  const { compiled } = input;
  const before = currentState(input);
  if (before.gpc) return null;
  const level: Level = before.level === 0 ? 0 : 1;
  const allowed = levelPurposes(compiled, level);
  const granted = new Set(
    grantedPurposes(before).filter(
      (id) => (allowed.has(id) || compiled.switches.has(id)) && compiled.purposes.get(id)?.profiling !== true,
    ),
  );
  const unchanged = granted.size === grantedPurposes(before).length;
  const after = {
    level,
    granted,
    gpc: true,
    covered: Object.keys(before.purposes),
    noticeVersion: before.noticeVersion,
  };
  return transition(input, before, after, {
    type: 'gpc_signal',
    method: 'gpc',
    gpc: { signal: true, override: false, requested_level: null },
    // Nothing given or taken: the DPV state stays what it was (e.g. requested, refused).
    ...(unchanged ? { dpv: before.dpvState } : {}),
  });
}

/** The consent's validity has run out: nothing is granted any more, the customer is asked again. */
export function expire(input: Common): Decision | null {
  const previous = input.previous;
  if (previous === undefined || previous.validUntil === null || input.now < previous.validUntil) return null;
  const after = {
    level: 0 as const,
    granted: new Set<string>(),
    gpc: previous.gpc,
    covered: Object.keys(previous.purposes),
    noticeVersion: previous.noticeVersion,
  };
  return transition(input, previous, after, {
    type: 'consent_expired',
    dpv: 'expired',
    method: 'api',
    gpc: { signal: previous.gpc, override: false, requested_level: null },
  });
}

/**
 * An objection (O3, Art. 21) or any other request that only takes purposes away: each of
 * `purposes` that is granted is withdrawn at once, nothing else changes (the level chosen, the
 * notice the rest was given on, the time it runs out). Recorded with method `api` as a
 * withdrawal. Returns null when none of them is granted.
 */
export function withdrawPurposes(input: Common, purposes: ReadonlySet<string>): Decision | null {
  const before = currentState(input);
  const was = grantedPurposes(before);
  if (!was.some((id) => purposes.has(id))) return null;
  const after = {
    level: before.level,
    granted: new Set(was.filter((id) => !purposes.has(id))),
    gpc: before.gpc,
    covered: Object.keys(before.purposes),
    noticeVersion: before.noticeVersion,
  };
  return transition(input, before, after, {
    method: 'api',
    gpc: { signal: before.gpc, override: false, requested_level: null },
    keepValidity: true,
  });
}
