/** A tiny document model, so the plain text and the HTML of a notice come from one source. */
export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | {
      readonly kind: 'paragraph';
      readonly text: string;
      /** In HTML only: `part` of the text becomes a link to `href` (the plain text is unchanged). */
      readonly link?: { readonly part: string; readonly href: string };
    }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, string])[] };

export interface Section {
  readonly title: string;
  readonly blocks: readonly Block[];
}

export interface Doc {
  readonly title: string;
  readonly sections: readonly Section[];
}

export const heading = (text: string): Block => ({ kind: 'heading', text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
/** A paragraph whose `part` is a link in HTML; without `link`, a plain paragraph. */
export const linked = (text: string, link: { part: string; href: string } | undefined): Block =>
  link === undefined ? { kind: 'paragraph', text } : { kind: 'paragraph', text, link };
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
export const facts = (rows: readonly (readonly [string, string])[]): Block => ({ kind: 'facts', rows });

function blockText(block: Block): string {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return block.text;
    case 'list':
      return block.items.map((i) => `- ${i}`).join('\n');
    case 'facts':
      return block.rows.map(([k, v]) => `${k}: ${v}`).join('\n');
  }
}

/** Plain text: sections separated by blank lines, one line per paragraph, list item or fact. */
export function docText(doc: Doc): string {
  const parts = [doc.title];
  for (const s of doc.sections) {
    parts.push([s.title, ...s.blocks.map(blockText)].filter((t) => t !== '').join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'paragraph': {
      const at = block.link === undefined ? -1 : block.text.indexOf(block.link.part);
      if (block.link === undefined || at < 0) return `<p>${escapeHtml(block.text)}</p>`;
      const { part, href } = block.link;
      return `<p>${escapeHtml(block.text.slice(0, at))}<a href="${escapeHtml(href)}">${escapeHtml(part)}</a>${escapeHtml(block.text.slice(at + part.length))}</p>`;
    }
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'facts':
      return `<dl>${block.rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  }
}

/**
 * What a host page adds around a document (styling, a header, the date it holds from): HTML the
 * host has escaped itself. Without a frame the page is plain and self-contained.
 */
export interface DocFrame {
  /** Inside `<head>`, after the title (e.g. a stylesheet link). */
  readonly head?: string;
  /** At the start of `<body>`. */
  readonly header?: string;
  /** Right under the `<h1>` (e.g. "Stand: 23. November 2026"). */
  readonly lead?: string;
  /** At the end of `<body>`. */
  readonly footer?: string;
}

/** A complete HTML page; every text of the document is escaped. */
export function docHtml(doc: Doc, lang: string, frame: DocFrame = {}): string {
  const sections = doc.sections
    .map((s) => {
      const title = s.title === '' ? '' : `<h2>${escapeHtml(s.title)}</h2>`;
      return `<section>${title}${s.blocks.map(blockHtml).join('')}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(doc.title)}</title>${frame.head ?? ''}</head>
<body>${frame.header ?? ''}<main id="main"><h1>${escapeHtml(doc.title)}</h1>${frame.lead ?? ''}
${sections}
</main>${frame.footer ?? ''}</body>
</html>
`;
}
