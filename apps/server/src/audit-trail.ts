import { createCipheriv, createDecipheriv, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import {
  type AuditEntry,
  type AuditKind,
  AuditLog,
  exportPrivateKey,
  exportPublicKey,
  generateAuditKeys,
  hashSubject,
  type InclusionProof,
  importPrivateKey,
  type Json,
  noteVerifierKey,
  publicKeyOf,
  type SignedCheckpoint,
} from '@vitrine/audit';
import type { Store } from '@vitrine/storage';
import type { Clock } from './clock';

/** The shop's checkpoint key as published: check checkpoints and proofs with any of these forms. */
export interface PublishedKey {
  /** The raw 32-byte Ed25519 key, base64 (what the README's offline check takes). */
  base64: string;
  pem: string;
  /** The C2SP signed-note verifier key. */
  verifier_key: string;
}

/**
 * The audit log of D5 as the flows see it: one hash-chained log per shop in the store, each
 * with its own Ed25519 key. Subjects are always written hashed (`hashSubject`), never as their
 * `sub_…` id, so that after an erasure no trace of the id is left in the log and the chain
 * never has to be rewritten.
 */
export interface AuditTrail {
  /** Appends one entry; `subjectId` (a `sub_…` id) is hashed before it is written. */
  record(
    shopId: string,
    kind: AuditKind,
    subjectId: string | null,
    data?: { readonly [key: string]: Json },
  ): Promise<AuditEntry>;
  /** A signed checkpoint of the log as it is now (the latest one when nothing was added since). */
  checkpoint(shopId: string): Promise<SignedCheckpoint>;
  /** The inclusion proof of entry `seq`, against a checkpoint that covers it (signed now if needed). */
  prove(shopId: string, seq: number): Promise<InclusionProof>;
  publicKey(shopId: string): Promise<PublishedKey>;
}

/**
 * Where the signing keys live: in the store, table audit_keys, one per shop, created on first
 * use. The private key is sealed with AES-256-GCM under a key derived (HKDF-SHA-256) from the
 * server's token secret (VITRINE_SECRET, or the one kept in the data folder), bound to the
 * shop: a copy of the database alone cannot sign checkpoints.
 */
export class StoreAuditTrail implements AuditTrail {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #sealKey: Buffer;
  readonly #logs = new Map<string, Promise<{ log: AuditLog; key: KeyObject }>>();

  constructor(store: Store, clock: Clock, secret: string) {
    this.#store = store;
    this.#clock = clock;
    this.#sealKey = Buffer.from(
      hkdfSync('sha256', secret, 'vitrine.audit', 'vitrine.audit.signing-key/v1', 32),
    );
  }

  async record(
    shopId: string,
    kind: AuditKind,
    subjectId: string | null,
    data: { readonly [key: string]: Json } = {},
  ): Promise<AuditEntry> {
    const { log } = await this.#log(shopId);
    return log.append(shopId, {
      kind,
      ts: this.#clock.now(),
      subject: subjectId === null ? null : hashSubject(shopId, subjectId),
      data,
    });
  }

  async checkpoint(shopId: string): Promise<SignedCheckpoint> {
    const { log } = await this.#log(shopId);
    return log.checkpoint(shopId);
  }

  async prove(shopId: string, seq: number): Promise<InclusionProof> {
    const { log } = await this.#log(shopId);
    const latest = await this.#store.audit.latestCheckpoint(shopId);
    if (latest === undefined || latest.size <= seq) await log.checkpoint(shopId);
    return log.prove(shopId, seq);
  }

  async publicKey(shopId: string): Promise<PublishedKey> {
    const { key } = await this.#log(shopId);
    const pub = publicKeyOf(key);
    const { base64, pem } = exportPublicKey(pub);
    return { base64, pem, verifier_key: noteVerifierKey(`vitrine.audit/${shopId}`, pub) };
  }

  #log(shopId: string): Promise<{ log: AuditLog; key: KeyObject }> {
    let entry = this.#logs.get(shopId);
    if (entry === undefined) {
      entry = this.#load(shopId);
      entry.catch(() => this.#logs.delete(shopId));
      this.#logs.set(shopId, entry);
    }
    return entry;
  }

  async #load(shopId: string): Promise<{ log: AuditLog; key: KeyObject }> {
    let row = await this.#store.audit.signingKey(shopId);
    if (row === undefined) {
      const keys = generateAuditKeys();
      await this.#store.audit.addSigningKey({
        shopId,
        publicKey: exportPublicKey(keys.publicKey).base64,
        privateKey: this.#seal(shopId, exportPrivateKey(keys.privateKey)),
        createdAt: this.#clock.now(),
      });
      // Another process may have stored its key first: everyone uses the stored one.
      row = await this.#store.audit.signingKey(shopId);
      if (row === undefined) throw new Error(`the audit signing key of ${shopId} could not be stored`);
    }
    const key = importPrivateKey(this.#open(shopId, row.privateKey));
    return { log: new AuditLog(this.#store.audit, { signingKey: key, now: () => this.#clock.now() }), key };
  }

  #seal(shopId: string, pem: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, nonce);
    cipher.setAAD(Buffer.from(`vitrine.audit.signing-key/v1\0${shopId}`));
    const body = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  #open(shopId: string, sealed: string): string {
    const bytes = Buffer.from(sealed.replace(/^v1\./, ''), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(`vitrine.audit.signing-key/v1\0${shopId}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(12, bytes.length - 16)),
        decipher.final(),
      ]).toString('utf8');
    } catch (e) {
      throw new Error(
        `the audit signing key of ${shopId} cannot be opened: VITRINE_SECRET differs from the one it was sealed with`,
        { cause: e },
      );
    }
  }
}
