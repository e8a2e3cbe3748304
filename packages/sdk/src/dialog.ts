import { type Choice, gpcConflict, initialSwitches, type Level, purposeChanges } from './consent';
import { h, trapTab, uid } from './dom';
import type { MESSAGES } from './messages';
import { levelFacts, type Notice, type NoticeDialog } from './notice';

/** What the dialog needs from the SDK: texts, the current consent, the notice, and a way to save. */
export interface DialogHost {
  m: (typeof MESSAGES)['de'];
  gpc(): boolean;
  state(): { level: Level; purposes: Record<string, boolean>; chosen: boolean };
  notice(): Promise<Notice>;
  /** Saves the choice (throws when it could not be saved). */
  choose(c: Choice): Promise<void>;
  /** Opens the privacy center (a new tab). */
  openCenter(): void;
  announce(text: string): void;
}

/**
 * The consent dialog. First layer: the level dial with what each level uses, keeps and gives,
 * and "Ablehnen" / "Akzeptieren" as twin buttons (C4). Second layer: every purpose with its
 * data, retention, recipients and basis, and a switch per purpose (C5, C7). Closing it changes
 * nothing: without a choice the customer stays at level 0 and the shop works fully (C6).
 */
export class ConsentDialog {
  private box: HTMLElement | null = null;
  private backdrop: HTMLElement | null = null;
  private selected: Level = 0;
  private switches: Record<string, boolean> | null = null;
  private opener: HTMLElement | null = null;
  private modal = false;
  private notice: Notice | null = null;
  private moveFocus = false;

  constructor(
    private readonly root: ShadowRoot,
    private readonly host: DialogHost,
  ) {}

  get isOpen(): boolean {
    return this.box !== null;
  }

  /** Opens the first layer; `modal` (opened by the customer) traps focus, the first-visit one does not. */
  async open(modal: boolean, opener?: HTMLElement | null): Promise<void> {
    this.remove();
    this.modal = modal;
    this.moveFocus = false;
    this.opener = opener ?? null;
    const st = this.host.state();
    this.selected = st.level;
    this.switches = null;
    const { m } = this.host;
    this.mount(h('p', { role: 'status' }, m.loading));
    try {
      this.notice = await this.host.notice();
    } catch {
      this.mount(h('p', { role: 'status' }, m.unavailable), this.closeButton());
      return;
    }
    if (this.box) this.layer1();
  }

  close(): void {
    this.remove();
    this.opener?.focus();
  }

  private remove(): void {
    this.box?.remove();
    this.backdrop?.remove();
    this.box = this.backdrop = null;
  }

  /** Shows `parts` in the dialog; focus moves in only when the customer opened it or changed layer. */
  private mount(...parts: Array<Node | false | null>): void {
    const content = parts.filter((p): p is Node => p !== false && p !== null);
    const titleId = uid('title');
    if (!this.box) {
      this.box = h('div', {
        class: 'dlg',
        role: 'dialog',
        'aria-modal': this.modal ? 'true' : 'false',
        'data-modal': this.modal,
        onkeydown: (e) => this.onKey(e as KeyboardEvent),
      });
      if (this.modal) {
        this.backdrop = h('div', { class: 'bd', onclick: () => this.close() });
        this.root.append(this.backdrop);
      }
      // First in the shadow root, so the dialog comes first in the tab order.
      this.root.prepend(this.box);
    }
    this.box.replaceChildren(...content);
    const heading = this.box.querySelector('h2');
    if (heading) {
      heading.id = titleId;
      this.box.setAttribute('aria-labelledby', titleId);
    } else this.box.setAttribute('aria-label', this.host.m.settings);
    if (this.modal || this.moveFocus) (heading ?? this.box.querySelector('button'))?.focus();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      this.close();
    } else if (this.modal && this.box) trapTab(e, this.box, this.root.activeElement);
  }

  private closeButton(): HTMLElement {
    return h(
      'button',
      { type: 'button', class: 'x', 'aria-label': this.host.m.close, onclick: () => this.close() },
      '×',
    );
  }

  private status(): HTMLElement {
    return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  }

  private say(text: string): void {
    const s = this.box?.querySelector('.status');
    if (s) s.textContent = text;
  }

  private twin(action: string, label: string, onclick: () => void): HTMLElement {
    return h('button', { type: 'button', class: 'btn', 'data-action': action, onclick }, label);
  }

  private layer1(): void {
    const d = this.notice!.dialog;
    const { m } = this.host;
    const gpc = this.host.gpc();
    const levels = d.levels.map((l) => {
      const facts = levelFacts(d, l.level);
      const get =
        l.level === 0 ? m.sameForAll : l.reward ? `${m.betterSuggestions}. ${l.reward}` : m.betterSuggestions;
      const descId = uid('lv');
      return h(
        'label',
        { class: 'lv' },
        h('input', {
          type: 'radio',
          name: 'vt-level',
          value: l.level,
          checked: l.level === this.selected,
          'aria-describedby': descId,
          onchange: () => {
            this.selected = l.level as Level;
            this.switches = null;
            this.say('');
            this.box?.querySelector('.conflict')?.replaceChildren();
          },
        }),
        h(
          'span',
          {},
          h('b', {}, l.heading),
          h(
            'span',
            { id: descId },
            l.summary,
            // On a phone the facts below give way to the summary (which says the same in words)
            // so that the whole first layer fits one screen; the reward stays, as its own line.
            l.reward && h('span', { class: 'rw' }, ` ${l.reward}`),
            h(
              'dl',
              {},
              h('dt', {}, m.uses),
              h('dd', {}, facts.uses.join(', ') || m.nothingAboutYou),
              h('dt', {}, m.kept),
              h('dd', {}, facts.kept.join(' · ') || m.nothing),
              h('dt', {}, m.get),
              h('dd', {}, get),
            ),
          ),
        ),
      );
    });
    const st = this.host.state();
    this.mount(
      this.closeButton(),
      h('h2', { tabindex: -1 }, d.title),
      h('p', {}, d.intro),
      gpc && h('p', { class: 'note', 'data-gpc': true }, m.gpcNote),
      st.chosen &&
        h('p', { class: 'muted' }, m.current(st.level, d.levels[st.level]?.name ?? String(st.level))),
      h('fieldset', {}, h('legend', {}, d.levelsTitle), ...levels),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'lnk',
            'data-action': 'details',
            onclick: () => {
              this.moveFocus = true;
              this.layer2();
            },
          },
          m.details,
        ),
      ),
      h('div', { class: 'conflict' }),
      this.status(),
      h(
        'div',
        { class: 'acts' },
        this.twin('reject', m.reject, () => void this.submit({ level: 0, purposes: {}, method: 'reject' })),
        this.twin('accept', m.accept, () => this.accept()),
      ),
    );
  }

  private accept(): void {
    const level = this.selected;
    const st = this.host.state();
    if (level === 0 && !st.chosen && !this.anySwitchOn()) {
      this.say(this.host.m.chooseFirst);
      this.box?.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    if (gpcConflict(level, this.host.gpc(), false)) this.conflict(level);
    else void this.submit({ level, purposes: this.changes(), method: level === 0 ? 'reject' : 'accept' });
  }

  private anySwitchOn(): boolean {
    return Object.values(this.changes()).some((on) => on);
  }

  private changes(): Record<string, boolean> {
    return this.switches ? purposeChanges(this.notice!.dialog, this.selected, this.switches) : {};
  }

  /** O1: explains the conflict with the GPC signal and lets the customer decide explicitly. */
  private conflict(level: Level): void {
    const { m } = this.host;
    const box = this.box?.querySelector('.conflict');
    if (!box) return;
    const text = h('p', { tabindex: -1 }, m.gpcConflict(level));
    box.replaceChildren(
      h(
        'div',
        { class: 'note', role: 'group', 'aria-label': 'Global Privacy Control' },
        text,
        h(
          'div',
          { class: 'row' },
          this.twin(
            'gpc-keep',
            m.gpcKeep,
            () => void this.submit({ level: 1, purposes: {}, method: 'accept' }),
          ),
          this.twin(
            'gpc-override',
            m.gpcOverride(level),
            () => void this.submit({ level, purposes: this.changes(), method: 'accept', overrideGpc: true }),
          ),
        ),
      ),
    );
    text.focus();
  }

  private async submit(choice: Choice): Promise<void> {
    const { m } = this.host;
    this.say(m.loading);
    try {
      await this.host.choose(choice);
    } catch {
      this.say(m.failed(this.host.state().level));
      return;
    }
    const st = this.host.state();
    this.host.announce(m.saved(st.level, this.notice?.dialog.levels[st.level]?.name ?? ''));
    this.close();
  }

  /** Second layer: each purpose with its facts and its own switch. */
  private layer2(): void {
    const d: NoticeDialog = this.notice!.dialog;
    const { m } = this.host;
    const st = this.host.state();
    this.switches ??= initialSwitches(d, this.selected, st);
    const sw = this.switches;
    const purposes = d.purposes.map((p) => {
      const inLevel = p.levels.includes(this.selected);
      let control: Node;
      if (p.switch || inLevel) {
        const id = p.id;
        control = h(
          'label',
          { class: 'sw' },
          h('input', {
            type: 'checkbox',
            role: 'switch',
            'data-purpose': id,
            checked: sw[id] === true,
            onchange: (e) => {
              sw[id] = (e.target as HTMLInputElement).checked;
            },
          }),
          `${m.use}: ${p.label}`,
        );
      } else control = h('p', { class: 'muted' }, m.inLevels(p.levels.join(', ')));
      return h(
        'section',
        { class: 'pp', 'data-purpose-label': p.label },
        h('h4', {}, p.label),
        p.switch && h('p', { class: 'muted' }, m.switchOff),
        h('p', {}, p.description),
        h('dl', {}, ...p.facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        ...p.notes.map((n) => h('p', {}, n)),
        control,
      );
    });
    this.mount(
      this.closeButton(),
      h('h2', { tabindex: -1 }, d.title),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'lnk',
            'data-action': 'back',
            onclick: () => {
              this.moveFocus = true;
              this.layer1();
            },
          },
          m.back,
        ),
      ),
      h('h3', {}, d.controllerTitle),
      ...d.controller.map((l) => h('p', {}, l)),
      h('h3', {}, d.purposesTitle),
      ...purposes,
      h('h3', {}, d.withdrawal.title),
      ...d.withdrawal.lines.map((l) => h('p', {}, l)),
      h(
        'p',
        {},
        h(
          'button',
          { type: 'button', class: 'lnk', 'data-action': 'center', onclick: () => this.host.openCenter() },
          m.openCenter,
        ),
      ),
      d.gpc.title !== '' && h('h3', {}, d.gpc.title),
      h('p', {}, d.gpc.text),
      h('div', { class: 'conflict' }),
      this.status(),
      h(
        'div',
        { class: 'acts' },
        this.twin('reject', m.reject, () => void this.submit({ level: 0, purposes: {}, method: 'reject' })),
        this.twin('save', m.save, () => {
          const level = this.selected;
          if (gpcConflict(level, this.host.gpc(), false)) this.conflict(level);
          else void this.submit({ level, purposes: this.changes(), method: 'save' });
        }),
      ),
    );
  }
}
