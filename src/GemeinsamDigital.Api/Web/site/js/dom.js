// Building the page: elements with attributes and text only (never HTML strings, never a style
// attribute), so the Content Security Policy needs no 'unsafe-inline' and data cannot inject markup.
import { label, lang, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function attrs(el, a) {
  for (const [k, v] of Object.entries(a || {})) {
    if (v == null || v === false) continue;
    if (k === 'style') throw new Error('no style attributes (CSP)');
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  return el;
}

/** An HTML element: h('p', {class: 'x'}, 'text', child). */
export function h(tag, a, ...children) {
  return append(attrs(document.createElement(tag), a), children);
}

/** An SVG element. */
export function s(tag, a, ...children) {
  return append(attrs(document.createElementNS(SVG, tag), a), children);
}

/** A catalogue label as text, marked lang="de" where a German label stands in an English page. */
export function lbl(kind, code, fallback) {
  const l = label(kind, code, fallback);
  return l.lang ? h('span', { lang: l.lang }, l.text) : l.text;
}

/** Text the strategy wrote in German (titles, descriptions), marked as German in the English page. */
export function de(text) {
  if (text == null || text === '') return '–';
  return lang.current === 'en' ? h('span', { lang: 'de' }, text) : text;
}

/** A table: caption, header cells, rows of cells; each row may carry data-* attributes. */
export function table(caption, headers, rows, options = {}) {
  return scrollRegion(caption,
    h('table', { class: options.class || null },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, headers.map((x, i) => h('th', { scope: 'col', class: options.numeric && options.numeric.includes(i) ? 'num' : null }, x)))),
      h('tbody', null, rows.map((r) => h('tr', r.attrs || null,
        r.cells.map((c, i) => (i === 0 && options.rowHeaders !== false
          ? h('th', { scope: 'row' }, c)
          : h('td', { class: options.numeric && options.numeric.includes(i) ? 'num' : null }, c))))))));
}

/**
 * The box a table scrolls in where it is wider than the screen (320 px): a labelled region that
 * takes focus, so keyboard users can scroll it too.
 */
export function scrollRegion(caption, content) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption }, content);
}

export function section(id, title, ...children) {
  return h('section', { 'aria-labelledby': id, class: 'card' }, h('h2', { id }, title), ...children);
}

export function problemBox(error) {
  return h('div', { role: 'alert', class: 'problem' },
    h('p', null, h('strong', null, t('problem')), ': ', error.message || String(error)));
}

export function link(href, ...children) {
  return h('a', { href }, ...children);
}
