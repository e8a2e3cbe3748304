import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CatalogRow, readCatalogFile } from '../src/catalog-file';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, content: string): Promise<CatalogRow[]> {
  const file = join(dir, name);
  writeFileSync(file, content);
  const rows: CatalogRow[] = [];
  for await (const row of readCatalogFile(file)) rows.push(row);
  return rows;
}

describe('catalog files', () => {
  it('reads CSV with category paths, German decimal commas, quoted fields with commas and newlines, attributes', async () => {
    const rows = await read(
      'good.csv',
      [
        'id,title,category_path,price,currency,available,attr_material',
        'sku-1,"Teekanne Aurora, Steingut, 1,2 l",Küche > Teekannen,"39,95",EUR,ja,Steingut',
        'sku-2,"Kissen ""Salbei""',
        'mit Leinen",Textil/Kissen,24.95,,nein,',
        'sku-3,Vase,Deko,19,EUR,,',
      ].join('\n'),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      line: 2,
      item: expect.objectContaining({
        id: 'sku-1',
        title: 'Teekanne Aurora, Steingut, 1,2 l',
        category_path: ['Küche', 'Teekannen'],
        price: 39.95,
        available: true,
        attributes: { material: 'Steingut' },
      }),
    });
    expect(rows[1]).toEqual({
      line: 3,
      item: expect.objectContaining({
        title: 'Kissen "Salbei"\nmit Leinen',
        category_path: ['Textil', 'Kissen'],
        available: false,
        currency: 'EUR',
      }),
    });
    expect(rows[2]).toMatchObject({ line: 5, item: { id: 'sku-3', price: 19 } });
  });

  it('reports bad rows with their line number and reason, and still yields the good rows', async () => {
    const rows = await read(
      'bad.csv',
      [
        'id,title,price,currency',
        'sku-1,Teekanne,39.95,EUR',
        '',
        'sku-2,Kerze,-3,EUR',
        'sku-3,,5,EUR',
        'sku-4,Vase,5,Euro',
        'sku-5,Topf,zwölf,EUR',
        'sku-6,Becher,9.95,EUR',
      ].join('\n'),
    );
    expect(rows.map((r) => ('item' in r ? r.line : [r.line, r.error.field]))).toEqual([
      2,
      [4, 'price'],
      [5, 'title'],
      [6, 'currency'],
      [7, 'price'],
      8,
    ]);
    const bad = rows.find((r) => r.line === 4);
    expect(bad && 'error' in bad && bad.error.message).toBe('price must be 0 or more');
  });

  it('a CSV without a required column is refused as a whole, naming the column', async () => {
    await expect(read('nocol.csv', 'id,name,price\nsku-1,Vase,3\n')).rejects.toThrow(/missing column title/);
  });

  it('reads JSON lines; a malformed line is reported with its number', async () => {
    const rows = await read(
      'items.jsonl',
      [
        '{"id":"sku-1","title":"Teekanne","price":39.95}',
        '',
        '{"id":"sku-2","title":"Kerze",',
        '{"id":"sku-3","title":"Vase","price":19,"currency":"eur"}',
      ].join('\n'),
    );
    expect(rows[0]).toMatchObject({ line: 1, item: { id: 'sku-1' } });
    expect(rows[1]).toMatchObject({ line: 3, error: { field: '(line)' } });
    expect(rows[2]).toMatchObject({ line: 4, error: { field: 'currency' } });
  });

  it('an unknown file type is refused with the types it takes', async () => {
    await expect(read('items.xlsx', '')).rejects.toThrow(/use \.csv, \.jsonl or \.ndjson/);
  });
});
