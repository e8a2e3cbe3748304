import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, buildSdk } from '../scripts/build';

describe('bundle', () => {
  it('ships at most 15 KB of JS and CSS, gzipped, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-sdk-size-'));
    try {
      const r = await buildSdk(dir);
      expect(r.files.map((f) => f.file)).toEqual(['vitrine.js']);
      expect(r.gzipTotal).toBeLessThanOrEqual(BUDGET_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
