import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { IdentityError } from './errors';

export const MASTER_KEY_BYTES = 32;
export const DEFAULT_MASTER_KEY_SETTING = 'VITRINE_MASTER_KEY';
const GENERATE_HINT = 'generate one with `openssl rand -base64 32`';

/**
 * The key that wraps every subject key (D3). It never prints: `String(key)`, `JSON.stringify`
 * and `console.log` show only its id, so it cannot leak into logs by accident.
 */
export class MasterKey {
  /** 8 hex digits, stored with each wrapped key so rotation knows which master key to use. */
  readonly id: string;
  readonly #key: KeyObject;

  private constructor(bytes: Buffer) {
    this.#key = createSecretKey(bytes);
    // An HMAC, so the id says nothing about the key.
    this.id = createHmac('sha256', bytes)
      .update('vitrine.identity.master-key-id/v1')
      .digest('hex')
      .slice(0, 8);
  }

  /** @internal for the envelope code */
  get keyObject(): KeyObject {
    return this.#key;
  }

  static fromBytes(bytes: Uint8Array, setting = DEFAULT_MASTER_KEY_SETTING): MasterKey {
    if (bytes.length !== MASTER_KEY_BYTES) {
      throw new IdentityError(
        'master_key_invalid',
        setting,
        `${setting} decodes to ${bytes.length} bytes; it must be ${MASTER_KEY_BYTES}: ${GENERATE_HINT}`,
      );
    }
    if (bytes.every((b) => b === bytes[0])) {
      throw new IdentityError(
        'master_key_invalid',
        setting,
        `${setting} is a placeholder (all bytes equal), not a key: ${GENERATE_HINT}`,
      );
    }
    const copy = Buffer.from(bytes);
    const key = new MasterKey(copy);
    copy.fill(0);
    return key;
  }

  toString(): string {
    return `MasterKey(${this.id})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A fresh master key as configuration takes it (base64). */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/**
 * Reads a master key from configuration: 64 hex digits or base64 / base64url of 32 bytes, with
 * an optional `hex:` or `base64:` prefix. Errors name the setting and say how to make a key.
 */
export function parseMasterKey(text: string | undefined, setting = DEFAULT_MASTER_KEY_SETTING): MasterKey {
  if (text === undefined || text.trim() === '') {
    throw new IdentityError('master_key_missing', setting, `${setting} is not set: ${GENERATE_HINT}`);
  }
  let t = text.trim();
  let encoding: 'hex' | 'base64' | undefined;
  const prefixed = /^(hex|base64):(.*)$/s.exec(t);
  if (prefixed) {
    encoding = prefixed[1] as 'hex' | 'base64';
    t = prefixed[2]!.trim();
  }
  if (encoding === 'hex' || (encoding === undefined && /^[0-9a-fA-F]{64}$/.test(t))) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(t)) {
      throw new IdentityError('master_key_invalid', setting, `${setting} is not valid hex: ${GENERATE_HINT}`);
    }
    return MasterKey.fromBytes(Buffer.from(t, 'hex'), setting);
  }
  const b64 = t.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Buffer.from(b64, 'base64');
  // Node skips characters it cannot read; re-encoding shows whether every character counted.
  if (
    !/^[A-Za-z0-9+/]+={0,2}$/.test(b64) ||
    bytes.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')
  ) {
    throw new IdentityError(
      'master_key_invalid',
      setting,
      `${setting} must be 32 bytes as 64 hex digits or base64: ${GENERATE_HINT}`,
    );
  }
  return MasterKey.fromBytes(bytes, setting);
}

/**
 * The current master key, which wraps new subject keys, and the previous ones, which still
 * unwrap keys not yet rewrapped. Rotation: add the new key as current, keep the old one as
 * previous, run `IdentityVault.rotate()`, then drop the old key.
 */
export class MasterKeyring {
  readonly current: MasterKey;
  readonly #byId: Map<string, MasterKey>;

  constructor(current: MasterKey, previous: readonly MasterKey[] = []) {
    this.current = current;
    this.#byId = new Map([...previous, current].map((k) => [k.id, k]));
  }

  get(id: string): MasterKey | undefined {
    return this.#byId.get(id);
  }

  get ids(): string[] {
    return [...this.#byId.keys()];
  }
}

/**
 * The keyring from configuration: `current` (e.g. VITRINE_MASTER_KEY) and `previous`
 * (e.g. VITRINE_MASTER_KEY_PREVIOUS: keys separated by commas or spaces).
 */
export function parseMasterKeyring(
  current: string | undefined,
  previous?: string | undefined,
  settings: { current?: string; previous?: string } = {},
): MasterKeyring {
  const currentSetting = settings.current ?? DEFAULT_MASTER_KEY_SETTING;
  const previousSetting = settings.previous ?? `${currentSetting}_PREVIOUS`;
  const key = parseMasterKey(current, currentSetting);
  const old = (previous ?? '')
    .split(/[\s,]+/)
    .filter((s) => s !== '')
    .map((s, i) => parseMasterKey(s, `${previousSetting}[${i}]`));
  return new MasterKeyring(key, old);
}

export type RunMode = 'production' | 'development' | 'test';

export type StartCheck =
  | { ok: true; identityStore: 'enabled'; keyring: MasterKeyring }
  | { ok: true; identityStore: 'disabled'; warning: string }
  | { ok: false; code: 'master_key_missing' | 'master_key_invalid'; field: string; message: string };

/**
 * Whether the server may start, as far as the identity store goes (D3): production needs a
 * valid master key; development and tests may run without one (the identity store is then
 * off, and says so). A key that is set but unreadable stops every mode: silently ignoring a
 * misconfigured secret is worse than not starting.
 */
export function identityStartCheck(
  mode: RunMode,
  config: { masterKey?: string | undefined; previousMasterKeys?: string | undefined },
): StartCheck {
  const missing = config.masterKey === undefined || config.masterKey.trim() === '';
  if (missing && mode !== 'production') {
    return {
      ok: true,
      identityStore: 'disabled',
      warning: `${DEFAULT_MASTER_KEY_SETTING} is not set: the identity store (e-mail, name, address) is off`,
    };
  }
  try {
    return {
      ok: true,
      identityStore: 'enabled',
      keyring: parseMasterKeyring(config.masterKey, config.previousMasterKeys),
    };
  } catch (e) {
    if (e instanceof IdentityError && (e.code === 'master_key_missing' || e.code === 'master_key_invalid')) {
      const message =
        e.code === 'master_key_missing'
          ? `refusing to start in production without a master key for the identity store: ${e.message}`
          : e.message;
      return { ok: false, code: e.code, field: e.field, message };
    }
    throw e;
  }
}
