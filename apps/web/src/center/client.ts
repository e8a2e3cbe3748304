import type {
  ConsentRecordsResponse,
  ConsentStateResponse,
  ConsentUpdateResponse,
  NoticeResponse,
  PredictionsResponse,
  RecommendationResponse,
  SubjectCreatedResponse,
} from '@vitrine/contracts';
import { Api, ApiError, type Subject } from '@vitrine/sdk/api';
import type { CenterMessage } from '@vitrine/sdk/center';
import { grantsAnything, initialSwitches, type Level, purposeChanges } from '@vitrine/sdk/consent';
import { formatTime, h } from '@vitrine/sdk/dom';
import { TEXTS } from '../texts';
import type { CenterData } from './page';
import {
  describePoint,
  type ErasureAnswer,
  type ExportPoint,
  groupPoints,
  itemIds,
  type PointGroup,
  receiptLines,
  type SubjectExportJson,
} from './view';

/**
 * The privacy center's script. It holds no identity of its own: it asks the page that embedded
 * or opened it (the shop's page, running the SDK) for the public key and the subject's token by
 * `postMessage`, accepts the answer only from that window and only from the shop's configured
 * origins (or Vitrine's own), and then works through the public API like the SDK does.
 */
const data = JSON.parse(document.getElementById('vt-data')!.textContent!) as CenterData;
const t = TEXTS[data.lang];
const d = data.dialog;
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const framed = window.parent !== window;
const peer: Window | null = framed ? window.parent : (window.opener as Window | null);

let peerOrigin = '';
let api: Api | null = null;
let subject: Subject | null = null;
let state: ConsentStateResponse | null = null;
let noticeVersion = 0;
let switches: Record<string, boolean> = {};
let gpcConfirmed = false;

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
    void load();
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

// --- loading --------------------------------------------------------------------------------------

async function load(): Promise<void> {
  const a = api!;
  $('#vt-app').dataset.state = 'loading';
  const notice = await a.call<NoticeResponse>('GET', `/v1/notice?lang=${data.lang}`);
  noticeVersion = notice.version;
  state = subject
    ? await a.call<ConsentStateResponse>('GET', `/v1/subjects/${subject.id}/consent`, { subject })
    : null;
  showChoice();
  const controls = $<HTMLFieldSetElement>('#vt-controls');
  controls.disabled = !subject;
  $<HTMLInputElement>('#vt-pause').checked = state?.paused === true;
  const objection = subject
    ? (
        await a
          .call<{ objection: { direct_marketing: boolean; profiling: boolean } }>(
            'GET',
            `/v1/subjects/${subject.id}/objection`,
            { subject },
          )
          .catch(() => null)
      )?.objection
    : undefined;
  $<HTMLInputElement>('#vt-object-marketing').checked = objection?.direct_marketing === true;
  $<HTMLInputElement>('#vt-object-profiling').checked = objection?.profiling === true;
  for (const b of Array.from(
    document.querySelectorAll<HTMLButtonElement>('[data-action=download],[data-action=delete]'),
  ))
    b.disabled = !subject;
  await Promise.all([showData(), showInferences(), showHistory()]);
  $('#vt-app').dataset.state = subject ? 'ready' : 'no-subject';
}

// --- the choice: the dial and the per-purpose switches ------------------------------------------

const levelName = (level: number) => d.levels[level]?.name ?? String(level);

function showChoice(): void {
  const level = (state?.level ?? 0) as Level;
  $('#vt-current').textContent = subject ? t.current(level, levelName(level)) : t.centerNoSubject;
  $('#vt-gpc').hidden = state?.gpc !== true;
  for (const r of Array.from(document.querySelectorAll<HTMLInputElement>('input[name=level]')))
    r.checked = Number(r.value) === level;
  resetSwitches(level);
  $<HTMLFieldSetElement>('#vt-choice-fields').disabled = false;
}

function selectedLevel(): Level {
  return Number(document.querySelector<HTMLInputElement>('input[name=level]:checked')?.value ?? 0) as Level;
}

/** The switches as they start at a level (C3: nothing ticked beyond what the customer chose). */
function resetSwitches(level: Level): void {
  switches = initialSwitches(d, level, {
    level: (state?.level ?? 0) as Level,
    purposes: state?.purposes ?? {},
  });
  for (const box of Array.from(document.querySelectorAll<HTMLInputElement>('input[data-purpose]'))) {
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
    state?.gpc === true || (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
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

// --- pause and objection (R6, O3) -----------------------------------------------------------------

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

const restrict = (paused: boolean) =>
  act(
    () => api!.call('PUT', `/v1/subjects/${subject!.id}/restriction`, { subject, body: { paused } }),
    t.saved(state?.level ?? 0, levelName(state?.level ?? 0)),
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
    t.saved(state?.level ?? 0, levelName(state?.level ?? 0)),
  );

// --- what we know: every data point, by category ------------------------------------------------

const purposeLabel = new Map(d.purposes.map((p) => [p.id, p.label]));

/** Item titles for the ids the export names: the catalog is public, `rank` answers with titles. */
async function titles(ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const r = await api!
      .call<RecommendationResponse>('POST', '/v1/rank', {
        subject,
        body: { items: ids.slice(i, i + 500), non_personalized: true, language: data.lang },
      })
      .catch(() => null);
    for (const it of r?.items ?? []) if (it.title) out.set(it.id, it.title);
  }
  return out;
}

async function showData(): Promise<void> {
  const box = $('#vt-points');
  if (!subject) {
    box.replaceChildren(h('p', {}, t.dataNone));
    return;
  }
  let exported: SubjectExportJson;
  try {
    exported = await api!.call<SubjectExportJson>(
      'GET',
      `/v1/subjects/${subject.id}/export?format=json&language=${data.lang}`,
      { subject },
    );
  } catch (e) {
    box.replaceChildren(h('p', { class: 'muted' }, why(e)));
    return;
  }
  const names = await titles(itemIds(exported));
  const titleOf = (id: string) => names.get(id) ?? id;
  const { groups, elsewhere } = groupPoints(exported);
  const parts: Node[] = [];
  if (groups.length === 0) parts.push(h('p', {}, t.dataNone));
  for (const g of groups) parts.push(categoryTable(g, titleOf));
  if (elsewhere > 0) parts.push(h('p', { class: 'muted small' }, t.dataElsewhere));
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
  if (p.store === 'events' && p.id) {
    out.push(
      button(t.remove, t.removeLabel(what), 'remove-event', () =>
        act(
          () =>
            api!.call('DELETE', `/v1/subjects/${s.id}/events/${encodeURIComponent(p.id!)}`, { subject: s }),
          t.removed,
        ),
      ),
    );
    const item = p.value.item_id;
    if (typeof item === 'string')
      out.push(
        ' · ',
        button(t.dontUse, t.dontUseLabel(what), 'exclude', () =>
          act(
            () =>
              api!.call('POST', `/v1/subjects/${s.id}/exclusions`, { subject: s, body: { item_id: item } }),
            t.excluded,
          ),
        ),
      );
  }
  if (p.store === 'exclusions' && p.id)
    out.push(
      button(t.useAgain, t.useAgainLabel(what), 'use-again', () =>
        act(
          () =>
            api!.call('DELETE', `/v1/subjects/${s.id}/exclusions/${encodeURIComponent(p.id!)}`, {
              subject: s,
            }),
          t.removed,
        ),
      ),
    );
  return out;
}

function categoryTable(g: PointGroup, titleOf: (id: string) => string): HTMLElement {
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
    { class: 'scroll', 'data-category': g.category },
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

// --- inferences (level 3 predictions with their inputs) -----------------------------------------

async function showInferences(): Promise<void> {
  const box = $('#vt-inferences');
  if (!subject) {
    box.replaceChildren(h('p', {}, t.inferencesNone));
    return;
  }
  try {
    const r = await api!.call<PredictionsResponse>(
      'GET',
      `/v1/subjects/${subject.id}/predictions?language=${data.lang}`,
      { subject },
    );
    box.replaceChildren(
      r.predictions.length === 0
        ? h('p', {}, t.inferencesNone)
        : h(
            'ul',
            {},
            ...r.predictions.map((p) =>
              h(
                'li',
                { 'data-prediction': p.kind },
                p.text,
                h(
                  'span',
                  { class: 'muted small' },
                  ` (${p.inputs
                    .map((i) => i.category_label ?? i.category ?? '')
                    .filter(Boolean)
                    .join(', ')})`,
                ),
              ),
            ),
          ),
    );
  } catch (e) {
    box.replaceChildren(h('p', { class: 'muted' }, why(e)));
  }
}

// --- consent history with the exact texts seen ----------------------------------------------------

async function showHistory(): Promise<void> {
  const box = $('#vt-history');
  if (!subject) {
    box.replaceChildren(h('p', {}, t.historyNone));
    return;
  }
  const r = await api!.call<ConsentRecordsResponse>('GET', `/v1/subjects/${subject.id}/consent/records`, {
    subject,
  });
  if (r.records.length === 0) {
    box.replaceChildren(h('p', {}, t.historyNone));
    return;
  }
  box.replaceChildren(
    h(
      'ul',
      {},
      ...[...r.records]
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
                  h('pre', {}, notice_text),
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
    const res = await api!.send('GET', `/v1/subjects/${subject!.id}/export?format=${format}`, { subject });
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
      h('p', { class: 'ok', role: 'status' }, t.deleted),
      h('ul', { 'data-receipt': true }, ...receiptLines(answer).map((l) => h('li', {}, l))),
      h(
        'details',
        {},
        h('summary', {}, t.receipt),
        h('pre', {}, JSON.stringify(answer.receipt ?? answer, null, 2)),
      ),
    );
    say('');
  } catch (e) {
    say(t.failed(why(e)), 'warn');
  }
}
