/**
 * What the running service has built and enabled, so that the generated notice and record of
 * processing state a measure only when it is true (issue 12: only true statements). The server
 * fills this in from its own state; a test maps every sentence that depends on it to the
 * feature behind it. Without it, documents state none of these measures.
 */
export interface Measures {
  /** D3: e-mail, name and address are kept apart and encrypted per person (a master key is configured). */
  identityEncryption: boolean;
  /** D5: a tamper-evident log (hash chain, signed checkpoints) of consents, requests and data access. */
  auditLog: boolean;
  /** R4: erasure reaches caches and the aggregate models (exact unlearning). */
  exactErasure: boolean;
  /** Data is deleted automatically when its retention ends (the retention job runs). */
  automaticDeletion: boolean;
  /** R5: the customer's data can be downloaded as JSON and CSV. */
  portability: boolean;
  /** R3: inferred interests can be removed (an item or category excluded from personalization). */
  removeInterests: boolean;
  /** The address of the shop's privacy center, where the customer exercises every right; null when there is none. */
  privacyCenter: string | null;
}

/** Nothing stated: what documents say when the caller does not know what is running. */
export const NO_MEASURES: Measures = {
  identityEncryption: false,
  auditLog: false,
  exactErasure: false,
  automaticDeletion: false,
  portability: false,
  removeInterests: false,
  privacyCenter: null,
};
