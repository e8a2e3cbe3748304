import type { Item } from '@vitrine/contracts';
import { type Config, upsertCatalog, Vitrine } from '@vitrine/server';
import { readCatalogFile } from './catalog-file';

const CHUNK = 5_000;

/**
 * `vitrine import catalog FILE --shop ID [--strict]`: good rows are imported and bad rows
 * reported with their line number; with --strict one bad row refuses the whole file. Items
 * already stored are never lost: each chunk is one transaction.
 */
export async function importCatalog(
  config: Config,
  file: string,
  shopId: string,
  strict: boolean,
): Promise<number> {
  const vitrine = await Vitrine.open(config);
  try {
    await vitrine.shop(shopId);
    const errors: string[] = [];
    let good: Array<{ index: number; item: Item }> = [];
    let imported = 0;
    const flush = async () => {
      if (good.length === 0) return;
      const r = await upsertCatalog(vitrine.store, shopId, good, { strict: false, now: vitrine.now() });
      imported += r.upserted;
      good = [];
    };
    for await (const row of readCatalogFile(file)) {
      if ('error' in row) errors.push(`line ${row.line}: ${row.error.field}: ${row.error.message}`);
      else {
        good.push({ index: row.line, item: row.item });
        if (!strict && good.length >= CHUNK) await flush();
      }
    }
    if (strict && errors.length > 0) {
      console.error(`${file}: ${errors.length} bad row(s); --strict: nothing was imported.`);
      for (const e of errors.slice(0, 50)) console.error(`  ${e}`);
      return 1;
    }
    await flush();
    console.log(`${file}: ${imported} item(s) imported into ${shopId}, ${errors.length} row(s) rejected.`);
    for (const e of errors.slice(0, 50)) console.error(`  ${e}`);
    if (errors.length > 50) console.error(`  … and ${errors.length - 50} more`);
    return errors.length > 0 ? 1 : 0;
  } finally {
    await vitrine.close();
  }
}
