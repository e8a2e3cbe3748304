import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type CatalogRow, readCatalogFile } from '../src/catalog-file';

const dir = mkdtempSync(join(tmpdir(), 'vitrine-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(name: string, content: string): Promise<CatalogRow[]> {
  const rows: CatalogRow[] = [];
  for await (const row of readCatalogFile(file(name, content))) rows.push(row);
  return rows;
}

/** `line` for a good row, `[line, field]` for a bad one. */
const outline = (rows: CatalogRow[]) => rows.map((r) => ('item' in r ? r.line : [r.line, r.error.field]));

describe('CSV catalog files', () => {
  it('read category paths, German decimal commas, flags, attribute columns and defaults', async () => {
    const rows = await read(
      'good.csv',
      [
        'id,title,category_path,price,currency,available,attributes,attr_material',
        'sku-1,Teekanne Aurora,Küche > Teekannen,"39,95",EUR,ja,"{""marke"":""Nordhaus""}",Steingut',
        'sku-2,Leinenkissen Salbei,Textil/Kissen,24.95,,nein,,',
        'sku-3,Vase Fjord,,"1.019,00",CHF,1,,',
        'sku-4,Gutschein,Geschenke,25',
      ].join('\n'),
    );
    expect(rows).toEqual([
      {
        line: 2,
        item: {
          id: 'sku-1',
          title: 'Teekanne Aurora',
          category_path: ['Küche', 'Teekannen'],
          price: 39.95,
          currency: 'EUR',
          attributes: { marke: 'Nordhaus', material: 'Steingut' },
          available: true,
        },
      },
      {
        line: 3,
        item: expect.objectContaining({
          category_path: ['Textil', 'Kissen'],
          price: 24.95,
          currency: 'EUR',
          attributes: {},
          available: false,
        }),
      },
      { line: 4, item: expect.objectContaining({ category_path: [], price: 1019, currency: 'CHF' }) },
      { line: 5, item: expect.objectContaining({ id: 'sku-4', price: 25, available: true }) },
    ]);
  });

  it('keep commas, doubled quotes and line breaks inside quoted fields, numbering records by the line they start on', async () => {
    const rows = await read(
      'quoted.csv',
      [
        'id,title,price',
        'sku-1,"Teekanne Aurora, Steingut, 1,2 l",39.95',
        'sku-2,"Kissen ""Salbei""',
        'mit Leinen,',
        '50×50 cm",24.95',
        '',
        'sku-3,Vase,19',
      ].join('\r\n'),
    );
    expect(outline(rows)).toEqual([2, 3, 7]);
    expect(rows[0]).toMatchObject({ item: { title: 'Teekanne Aurora, Steingut, 1,2 l' } });
    expect(rows[1]).toMatchObject({ item: { title: 'Kissen "Salbei"\r\nmit Leinen,\r\n50×50 cm' } });
  });

  it('report bad rows with their line, column and what to do, and still yield the good rows', async () => {
    const rows = await read(
      'bad.csv',
      [
        'id,title,price,currency,available',
        'sku-1,Teekanne,39.95,EUR,',
        '',
        'sku-2,Kerze,-3,EUR,',
        'sku-3,,5,EUR,',
        'sku-4,Vase,5,Euro,',
        'sku-5,Topf,zwölf,EUR,',
        'sku-6,Becher,,EUR,',
        'sku-7,Becher,12,95,EUR,',
        'sku-8,Schale,9.95,EUR,vielleicht',
        'sku 9,Teller,9.95,EUR,',
        ',,,,',
        'sku-10,Becher,9.95,EUR,ja',
      ].join('\n'),
    );
    expect(outline(rows)).toEqual([
      2,
      [4, 'price'],
      [5, 'title'],
      [6, 'currency'],
      [7, 'price'],
      [8, 'price'],
      [9, '(row)'],
      [10, 'available'],
      [11, 'id'],
      13,
    ]);
    const message = (line: number) =>
      rows.flatMap((r) => ('error' in r && r.line === line ? [r.error.message] : []));
    expect(message(4)).toEqual(['price must be 0 or more']);
    expect(message(5)).toEqual(['title must not be empty']);
    expect(message(6)).toEqual(['currency must be an ISO 4217 code such as EUR']);
    expect(message(7)[0]).toMatch(/"zwölf" is not a price; write it as 12.95 or 12,95/);
    expect(message(8)[0]).toMatch(/price is empty/);
    expect(message(9)[0]).toMatch(/6 fields but the header has 5.*double quotes/);
  });

  it('number every record by its first physical line, whatever the line endings, blank lines and quoted breaks', async () => {
    const record = fc.record({ blanksBefore: fc.nat(2), breaksInTitle: fc.nat(3) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        async (specs, eol) => {
          let text = 'id,title,price';
          let line = 1;
          const expected: number[] = [];
          specs.forEach((spec, i) => {
            text += eol.repeat(spec.blanksBefore + 1);
            line += spec.blanksBefore + 1;
            expected.push(line);
            const title = Array.from({ length: spec.breaksInTitle + 1 }, (_, k) => `Teil ${k}, "x"`).join(
              eol,
            );
            text += `sku-${i},"${title.replaceAll('"', '""')}",9.95`;
            line += spec.breaksInTitle;
          });
          const rows = await read('lines.csv', text + eol);
          expect(rows.map((r) => r.line)).toEqual(expected);
          expect(rows.every((r) => 'item' in r)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('accept blank lines before the header and a trailing delimiter on every line', async () => {
    const rows = await read('trailing.csv', '\n\nid,title,price,\nsku-1,Vase,19,\nsku-2,Kanne,20,\n');
    expect(outline(rows)).toEqual([4, 5]);
  });

  it('read semicolon-separated files as German spreadsheets write them, with a BOM', async () => {
    const rows = await read(
      'excel.csv',
      '\uFEFFID;Title;Price;Category_Path\nsku-1;Teekanne Aurora, Steingut;39,95;Küche > Teekannen\n',
    );
    expect(rows).toEqual([
      {
        line: 2,
        item: expect.objectContaining({ id: 'sku-1', title: 'Teekanne Aurora, Steingut', price: 39.95 }),
      },
    ]);
  });

  it('refuse a file whose header lacks a required column, naming the column', async () => {
    await expect(read('nocol.csv', 'id,name,price\nsku-1,Vase,3\n')).rejects.toThrow(
      /missing column title in the header row \(found: id, name, price\)/,
    );
    await expect(read('header-only.csv', 'id,title\n')).rejects.toMatchObject({
      code: 'validation_failed',
      field: 'price',
    });
    await expect(read('empty.csv', '\n\n')).rejects.toThrow(/empty/);
  });

  it('refuse broken quoting as a whole, with the line', async () => {
    await expect(read('open-quote.csv', 'id,title,price\nsku-1,"Vase,19\nsku-2,Kanne,20\n')).rejects.toThrow(
      /open-quote\.csv: .*quote.*line/i,
    );
  });
});

describe('JSON lines catalog files', () => {
  it('read one item per line, skip blank lines, report malformed and invalid lines by number', async () => {
    const rows = await read(
      'items.jsonl',
      [
        '{"id":"sku-1","title":"Teekanne","price":39.95,"category_path":["Küche","Teekannen"]}',
        '',
        '{"id":"sku-2","title":"Kerze",',
        '{"id":"sku-3","title":"Vase","price":19,"currency":"eur"}',
        '   ',
        '{"id":"sku-4","price":"12,95"}',
        '{"id":"sku-5","title":"Becher"}',
        '[1,2]',
        '{"id":"sku-6","title":"Schale","price":9.95,"attributes":{"farbe":null}}',
        '{"id":"sku-7","title":"Teller","price":9.95}',
      ].join('\n'),
    );
    expect(outline(rows)).toEqual([
      1,
      [3, '(row)'],
      [4, 'currency'],
      [6, 'title'],
      [7, 'price'],
      [8, '(row)'],
      [9, 'attributes.farbe'],
      10,
    ]);
    const errors = rows.flatMap((r) => ('error' in r ? [r.error.message] : []));
    expect(errors[0]).toMatch(/^not valid JSON/);
    expect(errors[2]).toBe('title is required');
    expect(errors[3]).toBe('price is required');
    expect(errors[4]).toBe("must be a JSON object with the item's fields, not a list");
    expect(errors[5]).toBe('attributes.farbe must be text, a number or true/false');
    expect(rows[0]).toMatchObject({ item: { category_path: ['Küche', 'Teekannen'], currency: 'EUR' } });
  });

  it('say what is wrong with a mistyped field', async () => {
    const rows = await read('typed.ndjson', '{"id":"sku-1","title":"Vase","price":"12,95"}\n');
    expect(rows).toEqual([
      { line: 1, error: { field: 'price', message: 'price must be a number, not the text "12,95"' } },
    ]);
  });
});

describe('catalog files as a whole', () => {
  it('refuse an unknown file type, naming the types it takes', async () => {
    await expect(read('items.xlsx', '')).rejects.toMatchObject({
      code: 'unsupported_media_type',
      message: expect.stringMatching(/use a \.csv, \.jsonl or \.ndjson file/),
    });
  });

  it('refuse a missing file plainly', async () => {
    const rows = readCatalogFile(join(dir, 'missing.csv'));
    await expect(rows.next()).rejects.toMatchObject({ code: 'not_found' });
  });
});
