import type { DocFrame } from '@vitrine/policy';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { formatDate, type Lang, TEXTS } from './texts';

/** Where the shared stylesheet is served; every page links it (no inline styles under the CSP). */
export const STYLESHEET = '/assets/vitrine.css';

/** The links every customer document shows: the notice, the record, the privacy center, the other language. */
export interface DocLinks {
  notice: string;
  record: string;
  center: string;
  /** The same page in the other language. */
  otherLanguage: string;
}

/** Renders JSX to the HTML string a route answers (the components here are synchronous). */
export const render = (node: unknown): string => `<!doctype html>\n${String(node)}`;

/** The header bar of the customer pages: the shop's name and the documents. */
function DocHeader(props: { lang: Lang; shopName: string; links: DocLinks }) {
  const t = TEXTS[props.lang];
  return (
    <header class="top">
      <div class="in">
        <a class="skip" href="#main">
          {t.skip}
        </a>
        <span class="brand">{props.shopName}</span>
        <nav aria-label={t.docsNav}>
          <ul>
            <li>
              <a href={props.links.notice}>{t.notice}</a>
            </li>
            <li>
              <a href={props.links.record}>{t.record}</a>
            </li>
            <li>
              <a href={props.links.center}>{t.center}</a>
            </li>
            <li>
              <a href={props.links.otherLanguage} lang={t.otherLanguageCode} hreflang={t.otherLanguageCode}>
                {t.otherLanguage}
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

/**
 * The frame of the notice and the record (`renderNotice`/`renderRecordOfProcessing` of the
 * policy package): the stylesheet, the header, the date the document holds from ("Stand") and
 * its notice version, and a footer saying where it comes from.
 */
export function documentFrame(opts: {
  lang: Lang;
  shopName: string;
  links: DocLinks;
  /** When the notice version in force was published. */
  since: number;
  version: number;
}): DocFrame {
  const t = TEXTS[opts.lang];
  return {
    head: `<link rel="stylesheet" href="${STYLESHEET}"><link rel="icon" href="data:,">`,
    header: String(<DocHeader lang={opts.lang} shopName={opts.shopName} links={opts.links} />),
    lead: String(
      <p class="stand">
        {t.stand(formatDate(opts.since, opts.lang))} · {t.noticeVersion} {opts.version}
      </p>,
    ),
    footer: String(
      <footer class="foot wrap">
        <p>{t.generated}</p>
      </footer>,
    ),
  };
}

/** A whole customer page: head with the stylesheet, the header bar, `main`, and scripts (files only). */
export function Page(props: {
  lang: Lang;
  title: string;
  header: Child;
  children: Child;
  /** JSON for the page's script, in a non-executed `<script type="application/json">`. */
  data?: unknown;
  scripts?: string[];
  mainClass?: string;
  /** After `main`: a footer, scripts with attributes. */
  after?: Child;
  /** A name for `main`, where the page may sit inside another page's `main` (the embedded center). */
  mainLabel?: string;
}) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={STYLESHEET} />
        <link rel="icon" href="data:," />
      </head>
      <body>
        {props.header}
        <main id="main" class={props.mainClass ?? 'wrap'} aria-label={props.mainLabel}>
          {props.children}
        </main>
        {props.data !== undefined && (
          <script type="application/json" id="vt-data">
            {raw(jsonForScript(props.data))}
          </script>
        )}
        {props.after}
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
      </body>
    </html>
  );
}

/** JSON safe inside a `<script>` element: no `</script>` or `<!--` can end or confuse it. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export { DocHeader };
