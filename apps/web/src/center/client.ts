import type {
  ConsentRecordsResponse,
  ConsentStateResponse,
  ConsentUpdateResponse,
  NoticeResponse,
  RecommendationResponse,
  SubjectCreatedResponse,
} from '@vitrine/contracts';
import { Api, ApiError, type Subject } from '@vitrine/sdk/api';
import type { CenterMessage } from '@vitrine/sdk/center';
import { grantsAnything, initialSwitches, type Level, purposeChanges } from '@vitrine/sdk/consent';
import { h } from '@vitrine/sdk/dom';
import { TEXTS } from '../texts';
import type { CenterData } from './page';
import {
  type CenterView,
  centerView,
  describePoint,
  type ErasureAnswer,
  type ExportPoint,
  itemIds,
  type PointGroup,
  receiptLines,
  type SubjectExportJson,
} from './view';

/**
 * The privacy center's script. It holds no identity of its own: it asks the page that embedded
 * or opened it (the shop's page, running the SDK) for the public key and the subject's token by
 * `postMessage`, accepts the answer only from that window and only from the shop's configured
 * origins (or Vitrine's own), and then works through the public API like the SDK does. One
 * export call reads everything shown (a page view stays well within a subject's rate limit).
 */
const data = JSON.parse(document.getElementById('vt-data')!.textContent!) as CenterData;
const t = TEXTS[data.lang];
const d = data.dialog;
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const all = <T extends HTMLElement = HTMLElement>(sel: string) =>
  Array.from(document.querySelectorAll<T>(sel));
const framed = window.parent !== window;
const peer: Window | null = framed ? window.parent : (window.opener as Window | null);

let peerOrigin = '';
let api: Api | null = null;
let subject: Subject | null = null;
let view: CenterView | null = null;
let noticeVersion = 0;
let switches: Record<string, boolean> = {};
let gpcConfirmed = false;
const titles = new Map<string, string>();

/** A time with its year (an expiry may be a year away). */
const formatTime = (iso: string, locale: string) =>
  new Date(iso).toLocaleString(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

function say(text: string, kind: 'ok' | 'warn' | '' = ''): void {
  const s = $('#vt-status');
  s.className = kind;
  s.textContent = text;
}

const why = (e: unknown) =>
  e instanceof ApiError ? (e.status === 404 ? t.unavailableHere : e.message || e.code) : String(e);

function tell(msg: CenterMessage): void {
  if (peer && peerOrigin) peer.postMessage(msg, peerOrigin);
}

// --- who is the customer? ---------------------------------------------------------------------

function noIdentity(): void {
  $('#vt-who').textContent = t.centerNoIdentity;
  $('#vt-app').dataset.state = 'no-identity';
}

if (!peer) noIdentity();
else {
  const timer = setTimeout(noIdentity, 5000);
  addEventListener('message', (e: MessageEvent) => {
    const m = e.data as CenterMessage | null;
    if (e.source !== peer || !data.peers.includes(e.origin)) return;
    if (typeof m !== 'object' || m === null || m.vitrine !== 'identity' || m.shop !== data.shop) return;
    clearTimeout(timer);
    peerOrigin = e.origin;
    api = new Api(location.origin, m.publicKey);
    subject = m.subject;
    $('#vt-who').hidden = true;
    void load().catch((err) => say(t.failed(why(err)), 'warn'));
  });
  // Only the shop's id goes out before the answer: nothing to protect in it.
  const hello: CenterMessage = { vitrine: 'center-ready', shop: data.shop };
  peer.postMessage(hello, '*');
  if (framed && 'ResizeObserver' in window) {
    new ResizeObserver(() =>
      tell({ vitrine: 'height', shop: data.shop, height: document.documentElement.scrollHeight }),
    ).observe(document.body);
  }
}

// --- loading: everything from one export --------------------------------------------------------

/** What is held about the subject; a server without the export still shows the choice and the ledger. */
async function read(a: Api, s: Subject): Promise<CenterView> {
  try {
    const x = await a.call<SubjectExportJson>(
      'GET',
      `/v1/subjects/${s.id}/export?format=json&language=${data.lang}`,
      { subject: s },
    );
    return centerView(x);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    const [state, ledger] = await Promise.all([
      a.call<ConsentStateResponse>('GET', `/v1/subjects/${s.id}/consent`, { subject: s }),
      a.call<ConsentRecordsResponse>('GET', `/v1/subjects/${s.id}/consent/records`, { subject: s }),
    ]);
    return {
      state,
      objection: null,
      records: ledger.records,
      predictions: [],
      groups: [],
      elsewhere: 0,
      exported: null,
    };
  }
}

/** Titles of the items the data points name: the catalog is public, and `rank` answers with titles. */
async function fetchTitles(a: Api, s: Subject, x: SubjectExportJson): Promise<void> {
  const missing = itemIds(x).filter((id) => !titles.has(id));
  for (let i = 0; i < missing.length; i += 500) {
    const r = await a
      .call<RecommendationResponse>('POST', '/v1/rank', {
        subject: s,
        body: { items: missing.slice(i, i + 500), non_personalized: true, language: data.lang },
      })
      .catch(() => null);
    for (const it of r?.items ?? []) if (it.title) titles.set(it.id, it.title);
  }
}

async function load(): Promise<void> {
  const a = api!;
  $('#vt-app').dataset.state = 'loading';
  if (noticeVersion === 0)
    noticeVersion = (await a.call<NoticeResponse>('GET', `/v1/notice?lang=${data.lang}`)).version;
  view = subject ? await read(a, subject) : null;
  if (subject && view?.exported) await fetchTitles(a, subject, view.exported);
  showChoice();
  $<HTMLFieldSetElement>('#vt-controls').disabled = !subject || !view?.exported;
  $<HTMLInputElement>('#vt-pause').checked = view?.state?.paused === true;
  $<HTMLInputElement>('#vt-object-marketing').checked = view?.objection?.direct_marketing === true;
  $<HTMLInputElement>('#vt-object-profiling').checked = view?.objection?.profiling === true;
  for (const b of all<HTMLButtonElement>('[data-action=download],[data-action=delete]'))
    b.disabled = !subject || !view?.exported;
  showData();
  showInferences();
  showHistory();
  $('#vt-app').dataset.state = subject ? 'ready' : 'no-subject';
}

// --- the choice: the dial and the per-purpose switches ------------------------------------------

const levelName = (level: number) => d.levels[level]?.name ?? String(level);
const current = () => view?.state ?? null;

function showChoice(): void {
  const level = (current()?.level ?? 0) as Level;
  $('#vt-current').textContent = subject ? t.current(level, levelName(level)) : t.centerNoSubject;
  $('#vt-gpc').hidden = current()?.gpc !== true;
  for (const r of all<HTMLInputElement>('input[name=level]')) r.checked = Number(r.value) === level;
  resetSwitches(level);
  $<HTMLFieldSetElement>('#vt-choice-fields').disabled = false;
}

function selectedLevel(): Level {
  return Number(document.querySelector<HTMLInputElement>('input[name=level]:checked')?.value ?? 0) as Level;
}

/** The switches as they start at a level (C3: nothing ticked beyond what the customer chose). */
function resetSwitches(level: Level): void {
  const s = current();
  switches = initialSwitches(d, level, { level: (s?.level ?? 0) as Level, purposes: s?.purposes ?? {} });
  for (const box of all<HTMLInputElement>('input[data-purpose]')) {
    const id = box.dataset.purpose!;
    const inLevel =
      box.dataset.switch === 'true' || (box.dataset.levels ?? '').split(',').includes(String(level));
    box.checked = switches[id] === true;
    box.disabled = !inLevel;
  }
  $('#vt-conflict').replaceChildren();
  gpcConfirmed = false;
}

document.addEventListener('change', (e) => {
  const el = e.target as HTMLInputElement;
  if (el.name === 'level') resetSwitches(selectedLevel());
  else if (el.dataset.purpose) switches[el.dataset.purpose] = el.checked;
  else if (el.dataset.action === 'pause') void restrict(el.checked);
  else if (el.dataset.action?.startsWith('object-')) void object();
});

$('#vt-choice').addEventListener('submit', (e) => {
  e.preventDefault();
  void save();
});

async function save(): Promise<void> {
  const a = api;
  if (!a) return;
  const level = selectedLevel();
  const purposes = purposeChanges(d, level, switches);
  const gpc =
    current()?.gpc === true ||
    (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  if (gpc && level > 1 && !gpcConfirmed) {
    // O1: the conflict is shown; only an explicit second choice goes above level 1.
    const yes = h(
      'button',
      { type: 'button', class: 'btn', 'data-action': 'gpc-override' },
      t.gpcOverride(level),
    );
    yes.onclick = () => {
      gpcConfirmed = true;
      void save();
    };
    $('#vt-conflict').replaceChildren(h('div', { class: 'note' }, h('p', {}, t.gpcConfirm(level)), yes));
    yes.focus();
    return;
  }
  const grants = grantsAnything({ level, purposes });
  say(t.loading);
  try {
    let s = subject;
    if (!s && grants) {
      const r = await a.call<SubjectCreatedResponse>('POST', '/v1/subjects');
      s = { id: r.subject_id, token: r.token };
    }
    if (s) {
      const r = await a.call<ConsentUpdateResponse>('PUT', `/v1/subjects/${s.id}/consent`, {
        subject: s,
        body: {
          level,
          purposes,
          notice_version: noticeVersion,
          language: data.lang,
          method: grants ? 'save' : 'reject',
          override_gpc: gpcConfirmed,
        },
      });
      subject = s;
      tell({
        vitrine: 'consent',
        shop: data.shop,
        subject: s,
        level: r.state.level,
        purposes: r.state.purposes,
        gpc: r.state.gpc,
        version: noticeVersion,
      });
      await load();
      say(t.saved(r.state.level, levelName(r.state.level)), 'ok');
    } else say(t.saved(0, levelName(0)), 'ok');
  } catch (e) {
    say(t.failed(why(e)), 'warn');
  }
}

// --- pause, objection, correction (R6, O3, R3) -------------------------------------------------------

async function act(run: () => Promise<unknown>, done: string): Promise<void> {
  say(t.loading);
  try {
    await run();
    await load();
    say(done, 'ok');
  } catch (e) {
    await load().catch(() => {});
    say(t.failed(why(e)), 'warn');
  }
}

const stateLine = () => t.saved(current()?.level ?? 0, levelName(current()?.level ?? 0));

const restrict = (paused: boolean) =>
  act(
    () => api!.call('PUT', `/v1/subjects/${subject!.id}/restriction`, { subject, body: { paused } }),
    stateLine(),
  );

const object = () =>
  act(
    () =>
      api!.call('PUT', `/v1/subjects/${subject!.id}/objection`, {
        subject,
        body: {
          direct_marketing: $<HTMLInputElement>('#vt-object-marketing').checked,
          profiling: $<HTMLInputElement>('#vt-object-profiling').checked,
        },
      }),
    stateLine(),
  );

// --- what we know: every data point, by category ------------------------------------------------

const purposeLabel = new Map(d.purposes.map((p) => [p.id, p.label]));
const titleOf = (id: string) => titles.get(id) ?? id;

function showData(): void {
  const box = $('#vt-points');
  if (!subject || !view) {
    box.replaceChildren(h('p', {}, t.dataNone));
    return;
  }
  if (!view.exported) {
    box.replaceChildren(h('p', { class: 'muted' }, t.unavailableHere));
    return;
  }
  const parts: Node[] = [];
  if (view.groups.length === 0) parts.push(h('p', {}, t.dataNone));
  for (const g of view.groups) parts.push(categoryTable(g));
  if (view.elsewhere > 0) parts.push(h('p', { class: 'muted small' }, t.dataElsewhere));
  box.replaceChildren(...parts);
}

function button(text: string, label: string, action: string, onclick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'lnk', 'data-action': action, 'aria-label': label }, text);
  b.onclick = onclick;
  return b;
}

function actions(p: ExportPoint, what: string): Array<Node | string> {
  const out: Array<Node | string> = [];
  const s = subject!;
  const path = `/v1/subjects/${s.id}`;
  if (p.store === 'events' && p.id) {
    const id = encodeURIComponent(p.id);
    out.push(
      button(t.remove, t.removeLabel(what), 'remove-event', () =>
        act(() => api!.call('DELETE', `${path}/events/${id}`, { subject: s }), t.removed),
      ),
    );
    const item = p.value.item_id;
    if (typeof item === 'string')
      out.push(
        ' · ',
        button(t.dontUse, t.dontUseLabel(what), 'exclude', () =>
          act(
            () => api!.call('POST', `${path}/exclusions`, { subject: s, body: { item_id: item } }),
            t.excluded,
          ),
        ),
      );
  }
  if (p.store === 'exclusions' && p.id) {
    const id = encodeURIComponent(p.id);
    out.push(
      button(t.useAgain, t.useAgainLabel(what), 'use-again', () =>
        act(() => api!.call('DELETE', `${path}/exclusions/${id}`, { subject: s }), t.removed),
      ),
    );
  }
  return out;
}

function categoryTable(g: PointGroup): HTMLElement {
  const c = data.categories[g.category];
  const expires = (p: ExportPoint) =>
    p.expires_at !== null
      ? formatTime(p.expires_at, t.locale)
      : p.retention === 'session'
        ? t.endOfVisit
        : p.retention;
  const rows = g.points.map((p) => {
    const what = describePoint(p, t.eventTypes, titleOf);
    const purposes = p.purposes.map((id) => purposeLabel.get(id)).filter((x) => x !== undefined);
    return h(
      'tr',
      { 'data-point': p.store, 'data-id': p.id ?? '' },
      h('td', {}, what),
      h('td', {}, p.time === null ? '' : formatTime(p.time, t.locale)),
      h('td', {}, t.sources[p.source] ?? p.source),
      h('td', {}, (purposes.length > 0 ? purposes : p.legal_basis).join('; ')),
      h('td', {}, expires(p)),
      h('td', {}, ...actions(p, what)),
    );
  });
  const head = [t.colWhat, t.colWhen, t.colSource, t.colPurpose, t.colExpires, t.colActions];
  return h(
    'div',
    // Focusable, so that a table wider than the frame can be scrolled with the keyboard.
    { class: 'scroll', 'data-category': g.category, tabindex: 0, role: 'region', 'aria-label': g.label },
    h('h3', {}, g.label),
    c ? h('p', { class: 'muted small' }, `${c.description} ${t.kept}: ${c.kept}.`) : null,
    h(
      'table',
      {},
      h('caption', { class: 'skip' }, g.label),
      h('thead', {}, h('tr', {}, ...head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows),
    ),
  );
}

// --- inferences: every prediction with what it rests on -------------------------------------------

function showInferences(): void {
  const box = $('#vt-inferences');
  if (subject && view && !view.exported) {
    box.replaceChildren(h('p', { class: 'muted' }, t.unavailableHere));
    return;
  }
  const predictions = view?.predictions ?? [];
  box.replaceChildren(
    predictions.length === 0
      ? h('p', {}, t.inferencesNone)
      : h(
          'ul',
          {},
          ...predictions.map((p) =>
            h(
              'li',
              { 'data-prediction': p.kind },
              p.text,
              h(
                'span',
                { class: 'muted small' },
                ` (${p.inputs
                  // What each input is (items viewed, put in the cart, bought, …), as the server words it.
                  .map((i) => i.label ?? i.category_label ?? i.category ?? '')
                  .filter(Boolean)
                  .join('; ')})`,
              ),
            ),
          ),
        ),
  );
}

// --- consent history with the exact texts seen ----------------------------------------------------

function showHistory(): void {
  const box = $('#vt-history');
  const records = view?.records ?? [];
  if (records.length === 0) {
    box.replaceChildren(h('p', {}, t.historyNone));
    return;
  }
  box.replaceChildren(
    h(
      'ul',
      {},
      ...[...records]
        .reverse()
        .map(({ record, notice_text }) =>
          h(
            'li',
            { 'data-record': record.id },
            h(
              'p',
              {},
              h('b', {}, formatTime(record.event_time, t.locale)),
              ` – ${t.levelLine(record.level, levelName(record.level))} ${t.method}: ${t.methods[record.method] ?? record.method}.`,
            ),
            notice_text === null
              ? null
              : h(
                  'details',
                  {},
                  h('summary', {}, `${t.textSeen} (v${record.notice.version}, ${record.notice.language})`),
                  h('pre', { tabindex: 0 }, notice_text),
                ),
          ),
        ),
    ),
  );
}

// --- download, erasure ------------------------------------------------------------------------------

document.addEventListener('click', (e) => {
  const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
  if (!b || !api || !subject) return;
  if (b.dataset.action === 'download') void download(b.dataset.format === 'csv' ? 'csv' : 'json');
  else if (b.dataset.action === 'delete') confirmDelete();
});

async function download(format: 'json' | 'csv'): Promise<void> {
  say(t.loading);
  try {
    const path = `/v1/subjects/${subject!.id}/export?format=${format}&language=${data.lang}`;
    const res = await api!.send('GET', path, { subject });
    if (!res.ok) throw new ApiError(res.status, 'export', res.statusText);
    const blob = await res.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: `vitrine-${subject!.id}.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    say(t.downloaded, 'ok');
  } catch (e) {
    say(t.failed(why(e)), 'warn');
  }
}

function confirmDelete(): void {
  const row = $('#vt-delete-row');
  const yes = h('button', { type: 'button', class: 'btn danger', 'data-action': 'delete-yes' }, t.deleteYes);
  const no = h('button', { type: 'button', class: 'btn alt', 'data-action': 'delete-no' }, t.deleteNo);
  const original = Array.from(row.childNodes);
  no.onclick = () => {
    row.replaceChildren(...original);
    row.querySelector<HTMLButtonElement>('button')?.focus();
  };
  yes.onclick = () => void erase();
  row.replaceChildren(h('p', { role: 'alert' }, t.deleteConfirm), yes, no);
  no.focus();
}

async function erase(): Promise<void> {
  say(t.loading);
  try {
    const answer = await api!.call<ErasureAnswer>('DELETE', `/v1/subjects/${subject!.id}`, { subject });
    subject = null;
    tell({ vitrine: 'erased', shop: data.shop });
    await load();
    $('#vt-delete-row').replaceChildren();
    $('#vt-receipt').replaceChildren(
      h(
        'p',
        { class: 'ok', role: 'status' },
        answer.status === 'completed' ? t.deleted : (answer.message ?? ''),
      ),
      h('ul', { 'data-receipt': true }, ...receiptLines(answer, t.removed_).map((l) => h('li', {}, l))),
      h(
        'details',
        {},
        h('summary', {}, t.receipt),
        h('pre', { tabindex: 0 }, JSON.stringify(answer.receipt ?? answer, null, 2)),
      ),
    );
    say('');
  } catch (e) {
    say(t.failed(why(e)), 'warn');
  }
}
