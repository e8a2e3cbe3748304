import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { formatPath, type Item, ItemInput, VitrineError } from '@vitrine/contracts';
import { parse } from 'csv-parse';

/** One data row of a catalog file: the item as the API would store it, or why it was refused. */
export type CatalogRow = { line: number; item: Item } | { line: number; error: RowError };
export interface RowError {
  /** Column name (CSV) or JSON path (JSON lines); `(row)` when the row as a whole is wrong. */
  field: string;
  message: string;
}

const REQUIRED_COLUMNS = ['id', 'title', 'price'] as const;
const YES = new Set(['true', '1', 'ja', 'yes', 'wahr']);
const NO = new Set(['false', '0', 'nein', 'no', 'falsch']);

/**
 * Reads a catalog file row by row, streaming, and validates each row with the same `ItemInput`
 * schema as the HTTP API. `.csv` needs a header row (id, title, price; optional category_path,
 * currency, available, attributes, attr_<name>); `.jsonl`/`.ndjson` hold one item per line.
 * Line numbers are physical lines of the file, 1-based; a CSV record spanning lines gets the
 * line it starts on. Throws a `VitrineError` for problems with the file as a whole (unknown
 * type, missing file or column, broken quoting).
 */
export async function* readCatalogFile(path: string): AsyncGenerator<CatalogRow> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.jsonl' && ext !== '.ndjson')
    throw new VitrineError(
      'unsupported_media_type',
      `${path}: cannot read "${ext || 'files without an extension'}"; use a .csv, .jsonl or .ndjson file`,
    );
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new VitrineError('not_found', `${path}: no such file`);
  yield* ext === '.csv' ? readCsv(path) : readJsonLines(path);
}

async function* readJsonLines(path: string): AsyncGenerator<CatalogRow> {
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line === 1 ? text.replace(/^\uFEFF/, '') : text);
    } catch (e) {
      yield { line, error: { field: '(row)', message: `not valid JSON: ${(e as Error).message}` } };
      continue;
    }
    yield validate(line, raw);
  }
}

/** What csv-parse tells about each record (its own line counter counts CRLF inside quotes twice). */
interface CsvInfo {
  /** Empty lines skipped so far. */
  empty_lines: number;
}

const LINE_BREAK = /\r\n|\r|\n/g;

async function* readCsv(path: string): AsyncGenerator<CatalogRow> {
  const delimiter = await sniffDelimiter(path);
  const records = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }),
  );
  let columns: string[] | undefined;
  let next = 1;
  let empty = 0;
  try {
    for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: CsvInfo }>) {
      // A record starts after the previous one and the empty lines skipped since; it spans
      // one line more than the line breaks inside its quoted fields.
      const line = next + info.empty_lines - empty;
      next = line + 1 + record.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);
      empty = info.empty_lines;
      if (record.every((cell) => cell.trim() === '')) continue;
      if (!columns) columns = readHeader(path, record);
      else yield csvRow(line, columns, record, delimiter);
    }
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('CSV_'))
      throw new VitrineError('validation_failed', `${path}: ${(e as Error).message}`, { cause: e });
    throw e;
  }
  if (!columns)
    throw new VitrineError(
      'validation_failed',
      `${path}: the file is empty; its first line must name the columns`,
    );
}

/** `,` unless the header line has more `;` or tabs — German spreadsheets write `;`. */
async function sniffDelimiter(path: string): Promise<string> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const header = buffer.toString('utf8', 0, bytesRead).split('\n', 1)[0] ?? '';
    const count = (d: string) => header.split(d).length - 1;
    return [';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
  } finally {
    await file.close();
  }
}

/**
 * Column names, lower-cased except for what follows `attr_`; refuses a header without id, title
 * or price, or with a name twice. Empty names (a trailing delimiter) are allowed and ignored.
 */
function readHeader(path: string, cells: string[]): string[] {
  const columns = cells.map((c) => {
    const name = c.trim();
    return /^attr_/i.test(name) ? `attr_${name.slice(5)}` : name.toLowerCase();
  });
  const missing = REQUIRED_COLUMNS.find((c) => !columns.includes(c));
  if (missing)
    throw new VitrineError(
      'validation_failed',
      `${path}: missing column ${missing} in the header row (found: ${columns.join(', ')}); ` +
        `the first line must name at least the columns ${REQUIRED_COLUMNS.join(', ')}`,
      { field: missing },
    );
  const twice = columns.find((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (twice)
    throw new VitrineError('validation_failed', `${path}: column ${twice} appears twice in the header row`, {
      field: twice,
    });
  return columns;
}

function csvRow(line: number, columns: string[], cells: string[], delimiter: string): CatalogRow {
  if (cells.length > columns.length)
    return {
      line,
      error: {
        field: '(row)',
        message:
          `has ${cells.length} fields but the header has ${columns.length}; ` +
          `put values that contain "${delimiter}" in double quotes, e.g. "12,95"`,
      },
    };
  const cell = new Map(columns.map((c, i) => [c, cells[i] ?? '']));
  const raw = fromCsv(cell);
  return 'field' in raw ? { line, error: raw } : validate(line, raw.item);
}

/** Turns CSV text cells into what the API takes as JSON: numbers, booleans, a category path, attributes. */
function fromCsv(cell: Map<string, string>): { item: Record<string, unknown> } | RowError {
  const text = (name: string) => cell.get(name)?.trim() ?? '';
  const item: Record<string, unknown> = { id: text('id'), title: text('title') };
  const price = parsePrice(text('price'));
  if (typeof price === 'string') return { field: 'price', message: price };
  item.price = price;
  const path = text('category_path');
  if (path)
    item.category_path = path
      .split(path.includes('>') ? '>' : '/')
      .map((level) => level.trim())
      .filter((level) => level !== '');
  if (text('currency')) item.currency = text('currency');
  const available = text('available').toLowerCase();
  if (available) {
    if (!YES.has(available) && !NO.has(available))
      return { field: 'available', message: `"${text('available')}" is not one of true/false, 1/0, ja/nein` };
    item.available = YES.has(available);
  }
  const attributes: Record<string, unknown> = {};
  if (text('attributes')) {
    const parsed = parseJson(text('attributes'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return { field: 'attributes', message: 'must be a JSON object, e.g. {"material": "Steingut"}' };
    Object.assign(attributes, parsed);
  }
  for (const [name, value] of cell)
    if (name.startsWith('attr_') && value.trim() !== '') attributes[name.slice(5)] = value.trim();
  if (Object.keys(attributes).length > 0) item.attributes = attributes;
  return { item };
}

/** '12.95', '12,95', '1.234,50' and '1,234.50' are prices; a message says why anything else is not. */
function parsePrice(text: string): number | string {
  if (text === '') return 'price is empty; write it as 12.95 or 12,95';
  const decimal = text.lastIndexOf(',') > text.lastIndexOf('.') ? ',' : '.';
  const plain = text.replaceAll(decimal === ',' ? '.' : ',', '').replace(decimal, '.');
  if (!/^-?\d+(\.\d+)?$/.test(plain)) return `"${text}" is not a price; write it as 12.95 or 12,95`;
  return Number(plain);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Validates with the API's schema; missing and mistyped fields get messages that say what to write. */
function validate(line: number, raw: unknown): CatalogRow {
  const result = ItemInput.safeParse(raw, {
    error: (issue) => {
      const field = formatPath(issue.path ?? []);
      if (issue.code === 'invalid_union') return `${field} must be text, a number or true/false`;
      if (issue.code !== 'invalid_type') return undefined;
      if (field === '') return `must be a JSON object with the item's fields, not ${kind(issue.input)}`;
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, not ${kind(issue.input)}`;
    },
  });
  if (result.success) return { line, item: result.data };
  const issue = result.error.issues[0]!;
  return { line, error: { field: formatPath(issue.path) || '(row)', message: issue.message } };
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `the text ${JSON.stringify(value)}` : `a ${typeof value}`;
}
