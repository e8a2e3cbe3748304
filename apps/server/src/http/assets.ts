import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VitrineError } from '@vitrine/contracts';

/** Where the built browser files are: the SDK bundle and the customer pages' scripts. */
export interface AssetDirs {
  /** Holds `vitrine.js` (`npm run build:sdk`). */
  sdk: string;
  /** Holds `center.js` and `shop.js` (`npm run build:web`). */
  web: string;
}

/** The `dist/` folders of the installed @vitrine/sdk and @vitrine/web packages. */
export function defaultAssetDirs(): AssetDirs {
  const require = createRequire(import.meta.url);
  const dist = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'dist');
  return { sdk: dist('@vitrine/sdk'), web: dist('@vitrine/web') };
}

/**
 * Reads a built file. Read on each request (they are small and the OS caches them), so a new
 * build is served without a restart. A missing build is a 503 that says how to make it.
 */
export async function readAsset(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch {
    throw new VitrineError(
      'unavailable',
      `The browser file ${file} has not been built. Run "npm run build" (npm start and npm test do it first).`,
      { field: 'path' },
    );
  }
}
