import type {
  ConsentStateResponse,
  ConsentUpdateResponse,
  RecommendationResponse,
  SubjectCreatedResponse,
} from '@vitrine/contracts';
import { Api, ApiError, type Subject } from './api';
import { type CenterMessage, centerUrl } from './center';
import { type Choice, consentBody, grantsAnything, type Level } from './consent';
import { ConsentDialog } from './dialog';
import { h } from './dom';
import { type Lang, langOf, MESSAGES } from './messages';
import { type Notice, type NoticeResponse, noticeFrom } from './notice';
import { type NeighbourTable, parseNeighbourTable, rankSession } from './ranking';
import { DeviceStore } from './storage';
import { styleRoot } from './styles';
import { type RecommendOptions, type ShownItem, type ShownList, Widget } from './widget';

export interface InitOptions {
  /** Base URL of the Vitrine API, e.g. `https://vitrine.example.com`. */
  api: string;
  /** The shop's public key (`vt_pk_…`); never the secret key. */
  publicKey: string;
  shopId: string;
  /** `de` (default) or `en`; defaults to the page's `lang` attribute. */
  lang?: Lang;
  /** Where the dialog and the settings link are mounted; `document.body` by default. */
  container?: HTMLElement | string;
  /** Show the dialog on a visit without a choice yet (not blocking the page). Default true. */
  autoOpen?: boolean;
  /** The floating "Datenschutz-Einstellungen" link on every page (C8). Default true. */
  settingsLink?: boolean;
  /**
   * On-device mode: at level 1 rank the visit in the browser with an item-neighbour table —
   * `true` for the shop's table from the API (`GET /v1/neighbours`, non-personal), or a URL or
   * object of your own. The table is fetched at level 1 only, when first needed.
   */
  onDevice?: true | { table: string | NeighbourTable };
  /** Minutes without activity after which a visit ends; 30 as in the default policy. */
  sessionTimeoutMinutes?: number;
  /** Called after every consent change. */
  onChange?: (consent: ConsentInfo) => void;
}

export interface ConsentInfo {
  level: Level;
  purposes: Record<string, boolean>;
  /** The browser sends Global Privacy Control. */
  gpc: boolean;
  /** The customer has made a choice (a refusal counts). */
  chosen: boolean;
  /** The pseudonymous subject, only after consent. */
  subjectId: string | null;
}

export type TrackEvent =
  | { type: 'view'; item_id: string }
  | { type: 'search'; query: string; results?: string[] }
  | { type: 'add_to_cart' | 'remove_from_cart'; item_id: string; quantity?: number }
  | {
      type: 'purchase';
      order_id: string;
      currency?: string;
      lines: Array<{ item_id: string; quantity: number; price: number }>;
    };

type ConsentStateOut = ConsentStateResponse;
type ApiRecommendations = RecommendationResponse;

interface SessionState {
  id: string;
  at: number;
  items: string[];
}

const randomId = (prefix: string): string => {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}_${[...b].map((x) => x.toString(36).padStart(2, '0')).join('')}`;
};

/**
 * One shop's SDK on a page. Consent is a fail-safe tri-state: until the customer chooses,
 * the level is 0, nothing is stored on the device and no event leaves the browser (C1).
 */
export class VitrineClient {
  readonly lang: Lang;
  private readonly m: (typeof MESSAGES)['de'];
  private readonly api: Api;
  private readonly store: DeviceStore;
  private level: Level = 0;
  private purposes: Record<string, boolean> = {};
  private chosen = false;
  private serverGpc = false;
  private subject: Subject | null = null;
  /** A throwaway subject for level-0 recommendation requests: memory only, new on every page. */
  private anonymous: Promise<Subject> | null = null;
  private noticeP: Promise<Notice> | null = null;
  private queue: Array<Record<string, unknown>> = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private tableP: Promise<NeighbourTable> | null = null;
  private readonly titles = new Map<string, string>();
  private readonly widgets = new Set<Widget>();
  private readonly hostEl: HTMLElement;
  private readonly root: ShadowRoot;
  private readonly dialog: ConsentDialog;
  private readonly live: HTMLElement;
  private fab: HTMLElement | null = null;
  private readonly onPageHide = () => void this.flush(true);
  /** The privacy centers this page embedded or opened: the only windows whose messages count. */
  private readonly centers = new Map<MessageEventSource, HTMLIFrameElement | null>();
  private readonly apiOrigin: string;
  private readonly onMessage = (e: MessageEvent) => this.fromCenter(e);
  /** Resolves when the stored choice has been checked with the server. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: InitOptions) {
    this.lang = opts.lang ?? langOf(document.documentElement.lang);
    this.m = MESSAGES[this.lang];
    this.api = new Api(opts.api, opts.publicKey);
    this.apiOrigin = new URL(opts.api, location.href).origin;
    this.store = new DeviceStore(opts.shopId);

    const parent =
      typeof opts.container === 'string'
        ? (document.querySelector<HTMLElement>(opts.container) ?? document.body)
        : (opts.container ?? document.body);
    this.hostEl = h('div', { 'data-vitrine': opts.shopId });
    this.root = this.hostEl.attachShadow({ mode: 'open' });
    this.live = h('p', { role: 'status', 'aria-live': 'polite', class: 'sr' });
    this.root.append(...styleRoot(this.root), this.live);
    parent.prepend(this.hostEl);
    this.dialog = new ConsentDialog(this.root, {
      m: this.m,
      gpc: () => this.gpc,
      state: () => ({ level: this.level, purposes: this.purposes, chosen: this.chosen }),
      notice: () => this.notice(),
      choose: (c) => this.choose(c),
      openCenter: () => this.openPrivacyCenter(),
      announce: (t) => {
        this.live.textContent = t;
      },
    });
    if (opts.settingsLink !== false) this.mountLink();
    addEventListener('pagehide', this.onPageHide);
    addEventListener('message', this.onMessage);
    this.ready = this.restore();
  }

  /** Global Privacy Control, from the browser or as the server has it on record (O1). */
  get gpc(): boolean {
    return (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true || this.serverGpc;
  }

  consent(): ConsentInfo {
    return {
      level: this.level,
      purposes: { ...this.purposes },
      gpc: this.gpc,
      chosen: this.chosen,
      subjectId: this.subject?.id ?? null,
    };
  }

  /** Reads the stored choice (the only read before consent: the allow-listed keys, C2). */
  private async restore(): Promise<void> {
    const choice = this.store.read<{ level: Level; v: number }>('choice');
    const subject = this.store.read<Subject>('subject');
    if (choice) {
      this.chosen = true;
      this.level = subject ? choice.level : 0;
    }
    if (subject && choice) {
      this.subject = subject;
      try {
        const s = await this.api.call<ConsentStateOut>('GET', `/v1/subjects/${subject.id}/consent`, {
          subject,
        });
        this.apply(s.level, s.purposes, s.gpc);
        if (s.needs_reconsent) void this.dialog.open(false);
      } catch (e) {
        // An unknown or expired token: forget it (the server holds consent, not the device).
        if (e instanceof ApiError && e.status === 401) this.forget();
      }
    } else if (!choice && this.opts.autoOpen !== false) {
      void this.dialog.open(false);
    }
  }

  private apply(level: Level, purposes: Record<string, boolean>, gpc: boolean): void {
    this.level = level;
    this.purposes = purposes;
    this.serverGpc = gpc;
    if (!grantsAnything({ level, purposes })) this.forget();
    this.updateLink();
  }

  /** Withdrawal on the device: queued events dropped, consented storage cleared at once (C8). */
  private forget(): void {
    this.subject = null;
    this.level = 0;
    this.queue = [];
    this.store.clearConsented();
  }

  notice(): Promise<Notice> {
    this.noticeP ??= this.api
      .call<NoticeResponse>('GET', `/v1/notice?lang=${this.lang}`)
      .then(noticeFrom)
      .catch((e) => {
        this.noticeP = null;
        throw e;
      });
    return this.noticeP;
  }

  /** Saves a choice made in the dialog: consent first on the server, then on the device. */
  private async choose(c: Choice): Promise<void> {
    const notice = await this.notice();
    let subject = this.subject;
    if (!subject && grantsAnything(c)) {
      subject = await this.newSubject();
    }
    if (subject) {
      const r = await this.api.call<ConsentUpdateResponse>('PUT', `/v1/subjects/${subject.id}/consent`, {
        subject,
        body: consentBody(c, notice.version, notice.language),
      });
      this.subject = subject;
      if (grantsAnything(r.state)) this.store.write('subject', subject);
      this.apply(r.state.level, r.state.purposes, r.state.gpc);
    } else {
      this.apply(0, {}, this.serverGpc);
    }
    this.chosen = true;
    this.store.write('choice', { level: this.level, v: notice.version });
    this.opts.onChange?.(this.consent());
    await Promise.all([...this.widgets].map((w) => w.refresh()));
  }

  private async newSubject(): Promise<Subject> {
    const r = await this.api.call<SubjectCreatedResponse>('POST', '/v1/subjects');
    return { id: r.subject_id, token: r.token };
  }

  /** Opens the settings (the dial and per-purpose switches) as a modal dialog. */
  openSettings(opener?: HTMLElement | null): Promise<void> {
    return this.dialog.open(true, opener ?? this.fab);
  }

  closeSettings(): void {
    this.dialog.close();
  }

  /** Withdraws everything at once: level 0 on the server, consented storage off the device. */
  async withdraw(): Promise<void> {
    await this.choose({ level: 0, purposes: {}, method: 'reject' });
  }

  private mountLink(): void {
    this.fab = h(
      'button',
      {
        type: 'button',
        class: 'fab',
        'data-action': 'settings',
        'aria-haspopup': 'dialog',
        onclick: () => void this.openSettings(this.fab),
      },
      this.m.settings,
    );
    this.root.append(this.fab);
  }

  private updateLink(): void {
    this.fab?.setAttribute('data-level', String(this.level));
  }

  // --- tracking -------------------------------------------------------------------------------

  /** The visit: a new id after the timeout; kept in sessionStorage, only with consent. */
  private session(): SessionState {
    const now = Date.now();
    const timeout = (this.opts.sessionTimeoutMinutes ?? 30) * 60_000;
    let s = this.store.read<SessionState>('session');
    if (!s || now - s.at > timeout) s = { id: randomId('ses'), at: now, items: [] };
    s.at = now;
    this.store.write('session', s);
    return s;
  }

  private get onDeviceNow(): boolean {
    return this.opts.onDevice !== undefined && this.level === 1;
  }

  /** The neighbour table, fetched once when on-device mode first needs it (never before consent). */
  private table(): Promise<NeighbourTable> {
    const o = this.opts.onDevice!;
    const t = o === true ? null : o.table;
    this.tableP ??= (
      t === null
        ? this.api.call('GET', '/v1/neighbours')
        : typeof t === 'string'
          ? fetch(t, { credentials: 'omit' }).then((r) => r.json())
          : Promise.resolve(t)
    )
      .then(parseNeighbourTable)
      .catch((e) => {
        this.tableP = null;
        throw e;
      });
    return this.tableP;
  }

  /**
   * Records a view, search, cart change or purchase — only with consent at level 1 or more
   * (C1). Returns whether it was kept: false before consent, when nothing leaves the browser.
   */
  track(event: TrackEvent): boolean {
    if (this.level < 1 || !this.subject) return false;
    const s = this.session();
    if (this.onDeviceNow) {
      // On-device mode: the visit stays in this tab; nothing is sent.
      if (event.type === 'view' || event.type === 'add_to_cart') {
        s.items = [...s.items.filter((i) => i !== event.item_id), event.item_id].slice(-50);
        this.store.write('session', s);
      }
      return true;
    }
    // No subject_id: the token sent with the batch names the subject.
    this.queue.push({
      ...event,
      session_id: s.id,
      ts: new Date().toISOString(),
    });
    this.flushTimer ??= setTimeout(() => void this.flush(false), 0);
    return true;
  }

  view(itemId: string): boolean {
    return this.track({ type: 'view', item_id: itemId });
  }
  search(query: string, results?: string[]): boolean {
    return this.track({ type: 'search', query, ...(results ? { results } : {}) });
  }
  addToCart(itemId: string, quantity = 1): boolean {
    return this.track({ type: 'add_to_cart', item_id: itemId, quantity });
  }
  removeFromCart(itemId: string, quantity = 1): boolean {
    return this.track({ type: 'remove_from_cart', item_id: itemId, quantity });
  }
  purchase(
    orderId: string,
    lines: Array<{ item_id: string; quantity: number; price: number }>,
    currency = 'EUR',
  ): boolean {
    return this.track({ type: 'purchase', order_id: orderId, currency, lines });
  }

  /** Sends queued events; resolves when the API has them. */
  async flush(keepalive = false): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const subject = this.subject;
    if (this.queue.length === 0 || !subject || this.level < 1) return;
    const events = this.queue.splice(0, 5000);
    try {
      await this.api.call('POST', '/v1/events', { subject, body: { events }, keepalive });
    } catch {
      // Not retried: an event that could not be sent is dropped, never kept on the device.
    }
  }

  // --- recommendations ------------------------------------------------------------------------

  private requestSubject(): Promise<Subject> {
    if (this.subject) return Promise.resolve(this.subject);
    this.anonymous ??= this.newSubject().catch((e) => {
      this.anonymous = null;
      throw e;
    });
    return this.anonymous;
  }

  /**
   * Recommendations for a scenario with their reasons. At level 1 in on-device mode the server
   * is asked for non-personal candidates only, and the visit re-ranks them here.
   */
  async recommendations(opts: RecommendOptions, nonPersonalized = false): Promise<ShownList> {
    await this.ready;
    const local = this.onDeviceNow && !nonPersonalized;
    const limit = opts.limit ?? 8;
    const q = new URLSearchParams({ scenario: opts.scenario ?? 'for_you', language: this.lang });
    q.set('limit', String(local ? Math.min(100, limit * 4) : limit));
    if (opts.item_id) q.set('item_id', opts.item_id);
    if (opts.items) q.set('items', opts.items.join(','));
    if (opts.category) q.set('category', opts.category.join(','));
    if (nonPersonalized || local) q.set('non_personalized', 'true');
    else if (this.level >= 1) q.set('session_id', this.session().id);
    const subject = local ? await this.requestAnonymous() : await this.requestSubject();
    const r = await this.api.call<ApiRecommendations>('GET', `/v1/recommendations?${q}`, { subject });
    for (const it of r.items) {
      if (it.title) this.titles.set(it.id, it.title);
      for (const x of it.reasons)
        x.evidence.items.forEach((id, n) => {
          const title = x.evidence.titles?.[n];
          if (title) this.titles.set(id, title);
        });
    }
    const categories = (await this.notice().catch(() => null))?.dialog.categories ?? {};
    let items: ShownItem[] = r.items.map((it) => ({
      id: it.id,
      title: it.title,
      price: it.price,
      reasons: it.reasons.map((x) => ({
        text: x.text,
        // The category's label when the notice names it, else what kind of data it was.
        data:
          x.category === null
            ? null
            : (categories[x.category] ??
              (x.kind.endsWith('_in_session') ? this.m.sessionData : this.m.historyData)),
        items: x.category === null ? [] : x.evidence.items,
        times: x.evidence.times,
        local: false,
      })),
    }));
    if (local) items = await this.rerankLocally(items, limit);
    return {
      items,
      personalized: local ? items.some((i) => i.reasons.some((x) => x.local)) : r.personalized,
    };
  }

  /** In on-device mode even the candidate request carries nothing of the visit: a throwaway subject. */
  private requestAnonymous(): Promise<Subject> {
    this.anonymous ??= this.newSubject();
    return this.anonymous;
  }

  private async rerankLocally(items: ShownItem[], limit: number): Promise<ShownItem[]> {
    const table = await this.table();
    const visit = this.session().items;
    const ranked = rankSession(table, visit, { candidates: items.map((i) => i.id), limit });
    const byId = new Map(items.map((i) => [i.id, i]));
    return ranked.map((r) => {
      const item = byId.get(r.id)!;
      if (r.because === null) return item;
      const reason = {
        text: this.m.onDevice(this.titleOf(r.because)),
        data: null,
        items: [r.because],
        times: [],
        local: true,
      };
      return { ...item, reasons: [reason, ...item.reasons] };
    });
  }

  /** Re-ranks a list of item ids (a category page): on the device at level 1 in on-device mode, else by the API. */
  async rank(items: string[]): Promise<{ items: string[]; onDevice: boolean; personalized: boolean }> {
    await this.ready;
    if (this.onDeviceNow) {
      const table = await this.table();
      const ranked = rankSession(table, this.session().items, { candidates: items });
      return {
        items: ranked.map((r) => r.id),
        onDevice: true,
        personalized: ranked.some((r) => r.because !== null),
      };
    }
    const subject = await this.requestSubject();
    const body: Record<string, unknown> = { items, language: this.lang };
    if (this.level >= 1) body.session_id = this.session().id;
    const r = await this.api.call<ApiRecommendations>('POST', '/v1/rank', { subject, body });
    return { items: r.items.map((i) => i.id), onDevice: false, personalized: r.personalized };
  }

  /** Renders a recommendation widget into `target` (element or selector); resolves when shown. */
  async recommend(target: HTMLElement | string, opts: RecommendOptions = {}): Promise<Widget> {
    const el = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (!el) throw new Error(`Vitrine.recommend: no element ${String(target)}`);
    const w = new Widget(
      el,
      {
        m: this.m,
        load: (o, np) => this.recommendations(o, np),
        titleOf: (id) => this.titleOf(id),
        exclude: (id, local) => this.excludeItem(id, local),
      },
      opts,
    );
    this.widgets.add(w);
    await w.refresh();
    return w;
  }

  titleOf(id: string): string {
    return this.titles.get(id) ?? id;
  }

  /**
   * "Don't use this": asks the API to stop using one of the customer's data points
   * (`POST /v1/subjects/{id}/exclusions`, pending the rights issue — until the API has it,
   * this answers 'unavailable'). In on-device mode the item simply leaves the visit here.
   */
  async excludeItem(itemId: string, local = false): Promise<'done' | 'unavailable'> {
    if (local || this.onDeviceNow) {
      const s = this.session();
      s.items = s.items.filter((i) => i !== itemId);
      this.store.write('session', s);
      await Promise.all([...this.widgets].map((w) => w.refresh()));
      return 'done';
    }
    if (!this.subject) return 'unavailable';
    try {
      await this.api.call('POST', `/v1/subjects/${this.subject.id}/exclusions`, {
        subject: this.subject,
        body: { item_id: itemId },
      });
    } catch {
      return 'unavailable';
    }
    await Promise.all([...this.widgets].map((w) => w.refresh()));
    return 'done';
  }

  // --- privacy center -------------------------------------------------------------------------

  /**
   * Embeds Vitrine's privacy center (everything held about the customer, the choice, download,
   * correction, pause, erasure) into `target`, e.g. on the shop's account page. The shop's
   * origin must be allowed to embed it (`vitrine shop origins`).
   */
  privacyCenter(target: HTMLElement | string): HTMLIFrameElement {
    const el = typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target;
    if (!el) throw new Error(`Vitrine.privacyCenter: no element ${String(target)}`);
    const frame = h('iframe', {
      src: centerUrl(this.opts.api, this.opts.shopId, this.lang, true),
      title: this.m.center,
    });
    // Through the CSSOM, which a page's CSP allows (a style attribute it may not).
    Object.assign(frame.style, { width: '100%', minHeight: '40rem', border: '0', display: 'block' });
    el.replaceChildren(frame);
    this.centers.set(frame.contentWindow!, frame);
    return frame;
  }

  /** Opens the privacy center in a new tab; it asks this page who the customer is. */
  openPrivacyCenter(): void {
    const w = open(centerUrl(this.opts.api, this.opts.shopId, this.lang), '_blank');
    if (w) this.centers.set(w, null);
  }

  /** Messages of the centers this page opened, from Vitrine's origin only. */
  private fromCenter(e: MessageEvent): void {
    const d = e.data as CenterMessage | null;
    if (e.origin !== this.apiOrigin || !e.source || !this.centers.has(e.source)) return;
    if (typeof d !== 'object' || d === null || d.shop !== this.opts.shopId) return;
    const shop = this.opts.shopId;
    if (d.vitrine === 'center-ready') {
      const answer: CenterMessage = {
        vitrine: 'identity',
        shop,
        publicKey: this.opts.publicKey,
        subject: this.subject,
      };
      (e.source as Window).postMessage(answer, e.origin);
    } else if (d.vitrine === 'height') {
      const frame = this.centers.get(e.source);
      if (frame) frame.style.height = `${Math.ceil(d.height)}px`;
    } else if (d.vitrine === 'consent' || d.vitrine === 'erased') {
      if (d.vitrine === 'consent') {
        if (d.subject && grantsAnything(d)) {
          this.subject = d.subject;
          this.store.write('subject', d.subject);
        }
        this.apply(d.level, d.purposes, d.gpc);
      } else this.apply(0, {}, this.serverGpc);
      this.chosen = true;
      this.store.write('choice', { level: this.level, v: d.vitrine === 'consent' ? d.version : 0 });
      this.opts.onChange?.(this.consent());
      void Promise.all([...this.widgets].map((w) => w.refresh()));
    }
  }

  /** Removes everything the SDK added to the page. Stored choices stay. */
  destroy(): void {
    removeEventListener('pagehide', this.onPageHide);
    removeEventListener('message', this.onMessage);
    this.hostEl.remove();
    this.widgets.clear();
  }
}
