import { effectiveState, noticeVersionFor, publishNotice } from '@vitrine/consent';
import { LANGUAGES, type Language, newId, VitrineError } from '@vitrine/contracts';
import type { CatalogItem, Interaction, Models } from '@vitrine/engine';
import {
  assertPurposesDeclared,
  CODE_PURPOSES,
  type CompiledPolicy,
  compilePolicy,
  type Policy,
  parsePolicy,
} from '@vitrine/policy';
import type { ShopRow, Store } from '@vitrine/storage';
import { BUILD_SLICE_MS, buildModelsOffThread, refreshOffThread, yieldToRequests } from './derive';
import { rowToState, toCatalogItem, toInteractions } from './rows';

export interface CurrentNotice {
  id: string;
  version: number;
  scopeHash: string;
  /** The exact text shown and its hash, per language (C10). */
  texts: Record<Language, { text: string; hash: string }>;
}

/** Everything the flows need about one shop, loaded once and kept in memory. */
export interface ShopRuntime {
  shop: ShopRow;
  policy: Policy;
  compiled: CompiledPolicy;
  notice: CurrentNotice;
  models: Models;
  catalog: Map<string, CatalogItem>;
  /** Items changed in the store since then (a file import, another process) are not loaded yet. */
  catalogSyncedAt: number;
}

/** Parses a shop's stored policy and checks that it declares every purpose the code uses. */
export function loadShopPolicy(shop: ShopRow): { policy: Policy; compiled: CompiledPolicy } {
  const source = `policy of shop ${shop.id}`;
  const policy = parsePolicy(JSON.parse(shop.policy) as unknown, source);
  assertPurposesDeclared(policy, CODE_PURPOSES, source);
  return { policy, compiled: compilePolicy(policy) };
}

/**
 * Makes sure the notice for the current policy is stored and returns it. The version goes up
 * whenever the text shown or the scope changes (each stored version has one exact text, C10);
 * whether customers must be asked again follows from the per-purpose scope hashes (C11).
 */
export async function ensureNotice(
  store: Pick<Store, 'notices'>,
  shopId: string,
  compiled: CompiledPolicy,
  now: number,
): Promise<CurrentNotice> {
  const noticeId = compiled.policy.notice_id;
  const latest = await Promise.all(LANGUAGES.map((l) => store.notices.latest(shopId, noticeId, l)));
  const first = latest[0];
  const previous =
    first === undefined
      ? undefined
      : {
          version: Math.max(...latest.map((r) => r?.version ?? 0)),
          scopeHash: first.scopeHash,
          textHashes: Object.fromEntries(latest.map((r, i) => [LANGUAGES[i], r?.textHash ?? ''])),
        };
  const { version } = noticeVersionFor(previous, compiled);
  const published = LANGUAGES.map((lang) => publishNotice(compiled, version, lang));
  for (const n of published) {
    // Stores only what is not there yet: (notice, version, language) is written once.
    await store.notices.put({
      shopId,
      noticeId,
      version,
      language: n.language,
      text: n.text,
      textHash: n.text_hash,
      scopeHash: n.scope_hash,
      createdAt: now,
    });
  }
  const texts = Object.fromEntries(
    published.map((n) => [n.language, { text: n.text, hash: n.text_hash }]),
  ) as CurrentNotice['texts'];
  return { id: noticeId, version, scopeHash: compiled.scopeHash, texts };
}

/**
 * Builds the aggregate models of a shop from scratch (a job; also run at start-up): only events
 * of subjects whose consent, as it holds now (expired or changed parts taken out), grants
 * `aggregate_models` count. No step holds the request thread for long: consents are checked
 * and the exact state built in slices between requests, the derived model in a worker thread.
 */
export async function rebuildModels(
  store: Store,
  shop: { id: string; notice: { version: number }; compiled: CompiledPolicy },
  catalog: CatalogItem[],
  now: number,
): Promise<Models> {
  const allowed = new Set<string>();
  let sliceStart = performance.now();
  const between = async () => {
    if (performance.now() - sliceStart < BUILD_SLICE_MS) return;
    await yieldToRequests();
    sliceStart = performance.now();
  };
  for (const row of await store.subjects.list(shop.id)) {
    const { state } = effectiveState(rowToState(row), shop.notice, shop.compiled, now);
    if (!state.paused && state.purposes.aggregate_models === true) allowed.add(row.id);
    await between();
  }
  const interactions: Interaction[] = [];
  for await (const page of store.events.scan(shop.id)) {
    for (const i of toInteractions(page)) if (allowed.has(i.subject)) interactions.push(i);
    await between();
  }
  return buildModelsOffThread(catalog, interactions);
}

/** A shop's catalog items from the store, page by page; only those changed since `updatedSince` when given. */
export async function readItems(store: Store, shopId: string, updatedSince?: number): Promise<CatalogItem[]> {
  const out: CatalogItem[] = [];
  for (let after: string | undefined; ; ) {
    const page = await store.catalog.list(shopId, {
      limit: 5000,
      ...(after ? { after } : {}),
      ...(updatedSince !== undefined ? { updatedSince } : {}),
    });
    for (const r of page) out.push(toCatalogItem(r));
    if (page.length < 5000) return out;
    after = page[page.length - 1]!.id;
  }
}

export async function loadShopRuntime(store: Store, shop: ShopRow, now: number): Promise<ShopRuntime> {
  const { policy, compiled } = loadShopPolicy(shop);
  const notice = await ensureNotice(store, shop.id, compiled, now);
  const catalog = new Map<string, CatalogItem>();
  const catalogSyncedAt = now;
  for (const item of await readItems(store, shop.id)) catalog.set(item.id, item);
  const models = await rebuildModels(store, { id: shop.id, notice, compiled }, [...catalog.values()], now);
  return { shop, policy, compiled, notice, models, catalog, catalogSyncedAt };
}

export function newShopRow(name: string, policy: Policy, now: number): ShopRow {
  if (name.trim() === '')
    throw new VitrineError('validation_failed', 'A shop needs a name.', { field: 'name' });
  return {
    id: newId('shop'),
    name: name.trim(),
    policy: JSON.stringify(policy),
    createdAt: now,
    origins: [],
  };
}

/**
 * Recomputes a shop's derived model (item-item rows, cycles) without blocking requests: input
 * read in slices, the build in a worker thread. If a removal (an erasure, say) happened
 * meanwhile, the result is dropped (it would bring the removed data back) and the next interval
 * tries again.
 */
export function refreshModels(rt: ShopRuntime): Promise<boolean> {
  return refreshOffThread(rt.models);
}
