import type { NoticeDialog } from '@vitrine/contracts';
import { levelFacts } from '@vitrine/sdk/notice';
import { DocHeader, type DocLinks, Page, render } from '../layout';
import { type Lang, TEXTS } from '../texts';

/** Where the privacy center's script is served. */
export const CENTER_SCRIPT = '/assets/center.js';

/** What the center's script needs, handed over as JSON in the page (no inline script). */
export interface CenterData {
  shop: string;
  lang: Lang;
  /** Origins whose pages may hand the center a subject: Vitrine's own and the shop's configured ones. */
  peers: string[];
  dialog: NoticeDialog;
  categories: Record<string, { label: string; description: string; kind: string; kept: string }>;
}

function Levels(props: { lang: Lang; dialog: NoticeDialog }) {
  const t = TEXTS[props.lang];
  const d = props.dialog;
  return (
    <fieldset>
      <legend>{d.levelsTitle}</legend>
      {d.levels.map((l) => {
        const facts = levelFacts(d, l.level);
        const get = l.level === 0 ? t.sameForAll : t.betterSuggestions;
        return (
          <label class="lv">
            <input type="radio" name="level" value={String(l.level)} aria-describedby={`vt-lv${l.level}`} />
            <span>
              <b>{l.heading}</b>
              <span id={`vt-lv${l.level}`}>
                {l.summary}
                <dl>
                  <dt>{t.uses}</dt>
                  <dd>{facts.uses.join(', ') || t.nothingAboutYou}</dd>
                  <dt>{t.kept}</dt>
                  <dd>{facts.kept.join(' · ') || t.nothing}</dd>
                  <dt>{t.get}</dt>
                  <dd>{l.reward ? `${get}. ${l.reward}` : get}</dd>
                </dl>
              </span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}

function Purposes(props: { lang: Lang; dialog: NoticeDialog }) {
  const t = TEXTS[props.lang];
  return (
    <fieldset>
      <legend>{t.purposesTitle}</legend>
      <p class="muted small">{t.purposesIntro}</p>
      {props.dialog.purposes.map((p) => (
        <label class="sw">
          <input
            type="checkbox"
            data-purpose={p.id}
            data-switch={p.switch ? 'true' : 'false'}
            data-levels={p.levels.join(',')}
            aria-describedby={`vt-pp-${p.id}`}
          />
          <span>
            <b>{p.label}</b>
            <span id={`vt-pp-${p.id}`} class="muted small">
              {p.switch ? t.extraSwitch : t.notInLevel(p.levels.join(', '))} · {p.description}
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function Switch(props: { id: string; action: string; label: string; help: string }) {
  return (
    <label class="sw">
      <input type="checkbox" id={props.id} data-action={props.action} aria-describedby={`${props.id}-h`} />
      <span>
        <b>{props.label}</b>
        <span id={`${props.id}-h`} class="muted small">
          {props.help}
        </span>
      </span>
    </label>
  );
}

/**
 * The privacy center (served by Vitrine at `/s/{shop}/privacy-center`, embeddable by the shop's
 * origins). The page is the same for everyone: it holds nothing about the customer. Its script
 * asks the shop's page (parent frame or opener) for the subject by `postMessage`, then reads and
 * changes everything through the API with the public key and the subject's token.
 */
export function privacyCenterPage(opts: {
  data: CenterData;
  shopName: string;
  links: DocLinks;
  /** Inside the shop's page: no header bar of its own (the shop's page has one). */
  embedded: boolean;
}): string {
  const { data } = opts;
  const t = TEXTS[data.lang];
  const d = data.dialog;
  return render(
    <Page
      lang={data.lang}
      title={`${t.center} – ${opts.shopName}`}
      header={
        opts.embedded ? null : <DocHeader lang={data.lang} shopName={opts.shopName} links={opts.links} />
      }
      data={data}
      scripts={[CENTER_SCRIPT]}
      mainClass={opts.embedded ? 'wrap doc center embedded' : 'wrap doc center'}
      mainLabel={t.center}
    >
      <h1>{t.center}</h1>
      <p>{t.centerIntro}</p>
      <p id="vt-who" class="note" role="status">
        {t.centerWaiting}
      </p>
      <p id="vt-status" role="status" aria-live="polite" />
      <div id="vt-app" data-state="waiting">
        <section class="card" aria-labelledby="vt-h-choice">
          <h2 id="vt-h-choice">{t.choiceTitle}</h2>
          <p>{t.choiceIntro}</p>
          <p id="vt-current" class="muted" />
          <p id="vt-gpc" class="note" hidden>
            {t.gpcNote}
          </p>
          <form id="vt-choice">
            <fieldset id="vt-choice-fields" disabled>
              <Levels lang={data.lang} dialog={d} />
              <Purposes lang={data.lang} dialog={d} />
              <div id="vt-conflict" />
              <div class="row">
                <button type="submit" class="btn" data-action="save">
                  {t.save}
                </button>
              </div>
            </fieldset>
          </form>
        </section>
        <section class="card" aria-labelledby="vt-h-controls">
          <h2 id="vt-h-controls">{t.controlsTitle}</h2>
          <fieldset id="vt-controls" disabled>
            <Switch id="vt-pause" action="pause" label={t.pause} help={t.pauseHelp} />
            <Switch
              id="vt-object-marketing"
              action="object-marketing"
              label={t.objectMarketing}
              help={t.objectMarketingHelp}
            />
            <Switch
              id="vt-object-profiling"
              action="object-profiling"
              label={t.objectProfiling}
              help={t.objectProfilingHelp}
            />
          </fieldset>
        </section>
        <section class="card" aria-labelledby="vt-h-data">
          <h2 id="vt-h-data">{t.dataTitle}</h2>
          <p>{t.dataIntro}</p>
          <div id="vt-points" />
        </section>
        <section class="card" aria-labelledby="vt-h-inferences">
          <h2 id="vt-h-inferences">{t.inferencesTitle}</h2>
          <p>{t.inferencesIntro}</p>
          <div id="vt-inferences" />
        </section>
        <section class="card" aria-labelledby="vt-h-history">
          <h2 id="vt-h-history">{t.historyTitle}</h2>
          <p>{t.historyIntro}</p>
          <div id="vt-history" />
        </section>
        <section class="card" aria-labelledby="vt-h-download">
          <h2 id="vt-h-download">{t.downloadTitle}</h2>
          <p>{t.downloadIntro}</p>
          <div class="row">
            <button type="button" class="btn alt" data-action="download" data-format="json" disabled>
              {t.downloadJson}
            </button>
            <button type="button" class="btn alt" data-action="download" data-format="csv" disabled>
              {t.downloadCsv}
            </button>
          </div>
        </section>
        <section class="card" aria-labelledby="vt-h-delete">
          <h2 id="vt-h-delete">{t.deleteTitle}</h2>
          <p>{t.deleteIntro}</p>
          <div class="row" id="vt-delete-row">
            <button type="button" class="btn danger" data-action="delete" disabled>
              {t.delete}
            </button>
          </div>
          <div id="vt-receipt" />
        </section>
      </div>
    </Page>,
  );
}
