/**
 * Every key the SDK may keep on the device, with where, why and when (C2). Nothing else is
 * written: no cookies, no IndexedDB, and before the customer's first choice nothing at all (C1).
 */
export const STORAGE_KEYS = {
  /**
   * localStorage `vitrine:<shop>:choice` → `{"level":n,"v":noticeVersion}`. Written only when the
   * customer chooses (including "Ablehnen"), so the dialog does not ask again on every page.
   * Keeping a refusal is strictly necessary for the service the customer asked for: being
   * left alone (TDDDG § 25(2) Nr. 2). Holds no identifier.
   */
  choice: { area: 'local', withoutConsent: true },
  /**
   * localStorage `vitrine:<shop>:subject` → `{"id":"sub_…","token":"…"}`: the pseudonymous
   * subject and the token that lets this browser act for it (and only it). Written only after
   * consent to level 1 or more; removed at once on withdrawal (C8).
   */
  subject: { area: 'local', withoutConsent: false },
  /**
   * sessionStorage `vitrine:<shop>:session` → `{"id":"ses_…","at":ms,"items":[…]}`: the visit's
   * id (a new one after 30 minutes without activity) and, in on-device mode, the items viewed
   * in this visit. Written only at level 1 or more; gone when the tab closes.
   */
  session: { area: 'session', withoutConsent: false },
} as const;

export type StorageKey = keyof typeof STORAGE_KEYS;

export const storageName = (shopId: string, key: StorageKey): string => `vitrine:${shopId}:${key}`;

function area(key: StorageKey): Storage | undefined {
  try {
    return STORAGE_KEYS[key].area === 'local' ? globalThis.localStorage : globalThis.sessionStorage;
  } catch {
    return undefined; // storage blocked (privacy mode, sandboxed frame): the SDK works without it
  }
}

export class DeviceStore {
  constructor(private readonly shopId: string) {}

  read<T>(key: StorageKey): T | undefined {
    try {
      const raw = area(key)?.getItem(storageName(this.shopId, key));
      return raw ? (JSON.parse(raw) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  write(key: StorageKey, value: unknown): void {
    try {
      area(key)?.setItem(storageName(this.shopId, key), JSON.stringify(value));
    } catch {}
  }

  remove(key: StorageKey): void {
    try {
      area(key)?.removeItem(storageName(this.shopId, key));
    } catch {}
  }

  /** Withdrawal: everything that needed consent leaves the device (C8). */
  clearConsented(): void {
    for (const key of Object.keys(STORAGE_KEYS) as StorageKey[])
      if (!STORAGE_KEYS[key].withoutConsent) this.remove(key);
  }
}
