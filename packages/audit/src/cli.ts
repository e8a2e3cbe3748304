import { formatPath } from '@vitrine/contracts';
import { z } from 'zod';
import { openCheckpoint, parseCheckpoint, type SignedCheckpoint } from './checkpoint';
import { type AuditEntry, checkEntry, entryHash } from './entry';
import { AuditError } from './errors';
import { importPublicKey } from './keys';
import { MerkleTree } from './merkle';
import { type Lang, OK_TEXT, PROOF_TEXTS } from './messages';
import {
  buildConsistencyProof,
  buildInclusionProof,
  type ConsistencyProof,
  type InclusionProof,
  type ProofCheck,
  verifyConsistencyProof,
  verifyInclusionProof,
} from './proof';
import { describeProblem, type VerifyResult, verifyLog } from './verify';

/**
 * Pure functions behind `vitrine audit verify|prove|check-proof`: JSON in, a result, an exit
 * code and a line of text out. The command reads files or the store and prints; nothing here
 * touches either. The input shapes are documented in the package README.
 */

export interface CommandResult<T> {
  /** 0: all good; 1: the log or proof fails verification. Bad input throws `invalid_input`. */
  exitCode: 0 | 1;
  text: string;
  result: T;
}

const VerifyInput = z.object({
  public_key: z.string().min(1),
  shop_id: z.string().min(1).optional(),
  entries: z.array(z.unknown()),
  checkpoints: z.array(z.string()).default([]),
});
export type AuditVerifyInput = z.input<typeof VerifyInput>;

const ProveInput = z.object({
  entries: z.array(z.unknown()),
  checkpoint: z.string().min(1),
  seq: z.number().int().min(0),
  /** When given, the checkpoint's signature is checked before a proof is built on it. */
  public_key: z.string().min(1).optional(),
});
export type AuditProveInput = z.input<typeof ProveInput>;

const ProveConsistencyInput = z.object({
  entries: z.array(z.unknown()),
  first: z.string().min(1),
  second: z.string().min(1),
  public_key: z.string().min(1).optional(),
});
export type AuditProveConsistencyInput = z.input<typeof ProveConsistencyInput>;

const CheckProofInput = z.object({
  public_key: z.string().min(1),
  proof: z.object({ format: z.enum(['vitrine-audit-inclusion/1', 'vitrine-audit-consistency/1']) }).loose(),
});
export type AuditCheckProofInput = z.input<typeof CheckProofInput>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = formatPath(issue.path);
  throw new AuditError('invalid_input', field, `${field || 'input'}: ${issue.message}`);
}

function entriesOf(values: readonly unknown[]): AuditEntry[] {
  return values.map((v, i) => {
    const c = checkEntry(v);
    if (!c.ok) {
      const field = `entries[${i}]${c.field ? `.${c.field}` : ''}`;
      throw new AuditError('invalid_input', field, `${field}: ${c.message}`);
    }
    return c.entry;
  });
}

function checkpointOf(text: string, field: string, publicKey: string | undefined): SignedCheckpoint {
  if (publicKey === undefined) {
    try {
      return parseCheckpoint(text).checkpoint;
    } catch (e) {
      throw new AuditError('invalid_input', field, `${field}: ${(e as Error).message}`);
    }
  }
  const opened = openCheckpoint(text, importPublicKey(publicKey));
  if (!opened.ok) throw new AuditError('invalid_input', field, `${field}: ${opened.message}`);
  return opened.checkpoint;
}

/** The tree over entries in seq order; the entries must be 0..n-1 (the proof is only as good as the checkpoint match). */
function treeOf(entries: readonly AuditEntry[]): MerkleTree {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  sorted.forEach((e, i) => {
    if (e.seq !== i)
      throw new AuditError('invalid_input', 'entries', `entries must be seq 0..n-1; seq ${i} is missing`);
  });
  return new MerkleTree(sorted.map(entryHash));
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** `vitrine audit verify`: exit 1 and the first problem, naming the entry. */
export function auditVerify(input: unknown, lang: Lang = 'de'): CommandResult<VerifyResult> {
  const i = parse(VerifyInput, input);
  const key = importPublicKey(i.public_key);
  const result = verifyLog(
    i.entries,
    i.checkpoints,
    key,
    i.shop_id === undefined ? {} : { shopId: i.shop_id },
  );
  if (result.ok) {
    return {
      exitCode: 0,
      text: OK_TEXT[lang](result.entries, result.checkpoints, result.unanchored),
      result,
    };
  }
  return { exitCode: 1, text: describeProblem(result.problem, lang), result };
}

/** `vitrine audit prove`: the inclusion proof of entry `seq` against `checkpoint`. */
export function auditProve(input: unknown): InclusionProof {
  const i = parse(ProveInput, input);
  const cp = checkpointOf(i.checkpoint, 'checkpoint', i.public_key);
  const entries = entriesOf(i.entries);
  const entry = entries.find((e) => e.seq === i.seq);
  if (entry === undefined)
    throw new AuditError('not_found', 'seq', `entry ${i.seq} is not in the entries given`);
  return buildInclusionProof(treeOf(entries), entry, cp);
}

/** `vitrine audit prove --from A --to B`: that checkpoint `second` extends checkpoint `first`. */
export function auditProveConsistency(input: unknown): ConsistencyProof {
  const i = parse(ProveConsistencyInput, input);
  const first = checkpointOf(i.first, 'first', i.public_key);
  const second = checkpointOf(i.second, 'second', i.public_key);
  return buildConsistencyProof(treeOf(entriesOf(i.entries)), first, second);
}

export type CheckedProof =
  | ProofCheck<{ entry: AuditEntry; checkpoint: SignedCheckpoint }>
  | ProofCheck<{ first: SignedCheckpoint; second: SignedCheckpoint }>;

/** `vitrine audit check-proof`: what a customer runs on a proof they received. */
export function auditCheckProof(input: unknown, lang: Lang = 'de'): CommandResult<CheckedProof> {
  const i = parse(CheckProofInput, input);
  const key = importPublicKey(i.public_key);
  if (i.proof.format === 'vitrine-audit-inclusion/1') {
    const r = verifyInclusionProof(i.proof, key);
    if (!r.ok) return { exitCode: 1, text: `${PROOF_TEXTS.failed[lang][r.reason]}: ${r.message}`, result: r };
    const cp = r.checkpoint;
    return {
      exitCode: 0,
      text: PROOF_TEXTS.included[lang](r.entry.seq, cp.shopId, iso(cp.timestamp), cp.size),
      result: r,
    };
  }
  const r = verifyConsistencyProof(i.proof, key);
  if (!r.ok) return { exitCode: 1, text: `${PROOF_TEXTS.failed[lang][r.reason]}: ${r.message}`, result: r };
  return {
    exitCode: 0,
    text: PROOF_TEXTS.consistent[lang](r.first.size, r.second.size, iso(r.second.timestamp)),
    result: r,
  };
}
