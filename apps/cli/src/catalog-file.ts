import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { formatPath, type Item, ItemInput } from '@vitrine/contracts';
import { parse } from 'csv-parse';

export type CatalogRow =
  | { line: number; item: Item }
  | { line: number; error: { field: string; message: string } };

export class CatalogFileError extends Error {
  override name = 'CatalogFileError';
}

const REQUIRED_COLUMNS = ['id', 'title', 'price'] as const;
const TRUE = new Set(['true', '1', 'ja', 'yes', 'y', 'j']);
const FALSE = new Set(['false', '0', 'nein', 'no', 'n']);

function validate(line: number, raw: unknown, fieldPrefix = ''): CatalogRow {
  const r = ItemInput.safeParse(raw);
  if (r.success) return { line, item: r.data };
  const issue = r.error.issues[0];
  return {
    line,
    error: {
      field: formatPath(issue?.path ?? [], fieldPrefix) || '(row)',
      message: issue?.message ?? 'invalid row',
    },
  };
}

/** Reads a catalog file row by row (streaming), validating each row with the API's own schema. */
export async function* readCatalogFile(path: string): AsyncGenerator<CatalogRow> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') yield* readCsv(path);
  else if (ext === '.jsonl' || ext === '.ndjson') yield* readJsonLines(path);
  else
    throw new CatalogFileError(
      `${path}: unknown file type "${ext || '(none)'}"; use .csv, .jsonl or .ndjson`,
    );
}

async function* readJsonLines(path: string): AsyncGenerator<CatalogRow> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      yield { line: n, error: { field: '(line)', message: `not valid JSON (${(e as Error).message})` } };
      continue;
    }
    yield validate(n, raw);
  }
}

/** A CSV cell as the API would receive it: numbers, booleans and category paths parsed. */
function fromCsv(
  record: Record<string, string>,
): { raw: Record<string, unknown> } | { field: string; message: string } {
  const raw: Record<string, unknown> = { id: record.id, title: record.title };
  const price = (record.price ?? '').trim().replace(/^(\d+),(\d{1,2})$/, '$1.$2');
  raw.price = price === '' ? undefined : Number(price);
  if (price !== '' && Number.isNaN(raw.price))
    return { field: 'price', message: `"${record.price}" is not a number; write 12.95 or 12,95` };
  if (record.category_path?.trim())
    raw.category_path = record.category_path.split(/\s*(?:>|\/)\s*/).filter((s) => s !== '');
  if (record.currency?.trim()) raw.currency = record.currency.trim();
  const available = record.available?.trim().toLowerCase();
  if (available) {
    if (TRUE.has(available)) raw.available = true;
    else if (FALSE.has(available)) raw.available = false;
    else
      return { field: 'available', message: `"${record.available}" is not true/false (also 1/0, ja/nein)` };
  }
  const attributes: Record<string, unknown> = {};
  if (record.attributes?.trim()) {
    try {
      Object.assign(attributes, JSON.parse(record.attributes));
    } catch {
      return { field: 'attributes', message: 'must be a JSON object, e.g. {"material":"Steingut"}' };
    }
  }
  for (const [k, v] of Object.entries(record))
    if (k.startsWith('attr_') && v !== '') attributes[k.slice(5)] = v;
  if (Object.keys(attributes).length > 0) raw.attributes = attributes;
  return { raw };
}

async function* readCsv(path: string): AsyncGenerator<CatalogRow> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: (h: string[]) => h.map((c) => c.trim()),
      info: true,
      skip_empty_lines: true,
      bom: true,
      relax_column_count: true,
    }),
  );
  let prevEnd = 1;
  let prevEmpty = 0;
  let checked = false;
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; empty_lines: number };
  }>) {
    if (!checked) {
      const missing = REQUIRED_COLUMNS.filter((c) => !(c in record));
      if (missing.length > 0)
        throw new CatalogFileError(
          `${path}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header row; required: ${REQUIRED_COLUMNS.join(', ')}`,
        );
      checked = true;
    }
    // The record starts on the line after the previous one, past any empty lines in between.
    const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines;
    prevEmpty = info.empty_lines;
    const converted = fromCsv(record);
    yield 'raw' in converted ? validate(line, converted.raw) : { line, error: converted };
  }
}
