// A few DOM helpers instead of a framework: elements, stat cards, paginated tables.
import { getJson, withQuery, type Page } from './api';
import { pageSize } from './format';

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

// The page size of lists: `fallback`, or localStorage "icn.pageSize" when set (1 … 500).
export function listLimit(fallback = 20): number {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('icn.pageSize');
  } catch {
    /* storage unavailable: the default */
  }
  return pageSize(stored, fallback);
}

// Pages through an indexer list: the first page now, "More" (`<testid>-more`) appends
// next_cursor's page; `render` gets every item loaded so far. reload() re-reads as many pages as
// are shown (a new event or a reorg may have changed any of them) and renders once, so the view
// neither flickers nor shrinks back to page one.
export function pager<T>(path: string, query: Record<string, string | number | null | undefined>, opts: { testid: string; limit?: number }, render: (items: T[]) => void | Promise<void>) {
  const more = h('button', { class: 'more', testid: `${opts.testid}-more`, hidden: true }, 'More');
  const status = h('span', { class: 'muted', testid: `${opts.testid}-status` });
  const controls = h('div', { class: 'pager' }, more, status);
  const limit = opts.limit ?? listLimit();
  let items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let generation = 0;
  async function load(reset: boolean) {
    const mine = ++generation;
    more.disabled = true;
    try {
      // A reset reads from the start as many pages as were shown; "More" reads one after the cursor.
      const wanted = reset ? Math.max(pages, 1) : 1;
      let next: string | null = reset ? null : cursor;
      const got: T[] = [];
      let read = 0;
      do {
        const page = await getJson<Page<T>>(withQuery(path, { ...query, limit, cursor: next }));
        got.push(...page.items);
        next = page.next_cursor;
        read++;
      } while (read < wanted && next !== null);
      if (mine !== generation) return; // a newer load started: its answer wins
      items = reset ? got : items.concat(got);
      pages = reset ? read : pages + read;
      cursor = next;
      more.hidden = cursor === null;
      status.textContent = '';
      await render(items);
    } catch (e) {
      if (mine === generation) status.textContent = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) more.disabled = false;
    }
  }
  more.addEventListener('click', () => void load(false));
  void load(true);
  return { controls, reload: () => load(true) };
}

// A table over a paginated indexer list (pager above).
export function pagedTable<T>(path: string, query: Record<string, string | number | null | undefined>, columns: Column<T>[], opts: { testid: string; limit?: number; empty?: string }) {
  const tbody = h('tbody');
  const table = h('table', { testid: opts.testid }, h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', {}, c.title)))), tbody);
  const p = pager<T>(path, query, opts, (items) => {
    const rows = items.map((item) => h('tr', {}, ...columns.map((c) => h('td', { 'data-label': c.title }, c.cell(item)))));
    if (rows.length === 0) rows.push(h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, opts.empty ?? 'Nothing yet')));
    tbody.replaceChildren(...rows);
  });
  const root = h('div', { class: 'table-wrap' }, table, p.controls);
  return { root, reload: p.reload };
}

export function input(attrs: Record<string, string | number | boolean | undefined>): HTMLInputElement {
  return h('input', attrs as any);
}
export function field(label: string, control: HTMLElement, hint?: HTMLElement | string): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control, hint ? h('small', { class: 'muted' }, hint) : null);
}
