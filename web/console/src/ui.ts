// A few DOM helpers instead of a framework: elements, stat cards, paginated tables.
import { getJson, withQuery, type Page } from './api';

type Child = Node | string | number | null | undefined | false;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: any) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'testid') el.dataset.testid = String(v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}
export function append(el: HTMLElement, children: Child[]) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function stat(label: string, value: string, testid: string, sub?: string): HTMLElement {
  return h('div', { class: 'stat' }, h('div', { class: 'label' }, label), h('div', { class: 'value', testid }, value), sub ? h('div', { class: 'sub' }, sub) : null);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'error', testid: 'error' }, e instanceof Error ? e.message : String(e));
}

export interface Column<T> {
  title: string;
  cell: (item: T) => Child;
}

// A table over a paginated indexer list: the first page now, "More" fetches `next_cursor`'s page.
// reload() starts over (a new era arrived).
export function pagedTable<T>(path: string, query: Record<string, string | number | null | undefined>, columns: Column<T>[], opts: { testid: string; limit?: number; empty?: string }) {
  const tbody = h('tbody');
  const more = h('button', { class: 'more', testid: `${opts.testid}-more` }, 'More');
  const status = h('span', { class: 'muted' });
  const table = h('table', { testid: opts.testid }, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c.title)))), tbody);
  const root = h('div', { class: 'table-wrap' }, table, h('div', { class: 'pager' }, more, status));
  let cursor: string | null = null;
  let generation = 0;
  async function load(reset: boolean) {
    const mine = reset ? ++generation : generation;
    if (reset) cursor = null;
    more.disabled = true;
    try {
      const page = await getJson<Page<T>>(withQuery(path, { ...query, limit: opts.limit ?? 20, cursor }));
      if (mine !== generation) return;
      if (reset) tbody.replaceChildren();
      for (const item of page.items) tbody.append(h('tr', {}, ...columns.map((c) => h('td', { 'data-label': c.title }, c.cell(item)))));
      if (reset && page.items.length === 0) tbody.append(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, opts.empty ?? 'Nothing yet')));
      cursor = page.next_cursor;
      more.hidden = cursor === null;
      status.textContent = '';
    } catch (e) {
      status.textContent = e instanceof Error ? e.message : String(e);
    } finally {
      more.disabled = false;
    }
  }
  more.addEventListener('click', () => load(false));
  void load(true);
  return { root, reload: () => load(true) };
}

export function input(attrs: Record<string, string | number | boolean | undefined>): HTMLInputElement {
  return h('input', attrs as any);
}
export function field(label: string, control: HTMLElement, hint?: HTMLElement | string): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control, hint ? h('small', { class: 'muted' }, hint) : null);
}
