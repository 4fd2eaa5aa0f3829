// The monitoring page: a hash router over four views, German by default, English on request.
// Routes: #/ (overview), #/measures, #/measures/{id}, #/revisions, #/revisions/{id},
// #/revisions/{a}/compare/{b}, #/leichte-sprache; filters are the route's query (?district=…).
import { getCatalog } from './api.js';
import { h, problemBox } from './dom.js';
import { lang, t, useCatalog } from './i18n.js';
import { overview } from './overview.js';
import { measureList, measurePage } from './measures.js';
import { revisionList, revisionSnapshot, revisionCompare } from './revisions.js';
import { easyLanguage } from './easy.js';

const main = document.getElementById('main');
let renders = 0;
let first = true;

function route() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const [path, query] = hash.split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { nav: 'overview', view: () => overview(params) };
  if (parts[0] === 'measures' && parts.length === 1) return { nav: 'measures', view: () => measureList(params) };
  if (parts[0] === 'measures' && parts.length === 2) return { nav: 'measures', view: () => measurePage(parts[1], params) };
  if (parts[0] === 'revisions' && parts.length === 1) return { nav: 'revisions', view: () => revisionList(params) };
  if (parts[0] === 'revisions' && parts.length === 2) return { nav: 'revisions', view: () => revisionSnapshot(parts[1]) };
  if (parts[0] === 'revisions' && parts.length === 4 && parts[2] === 'compare') return { nav: 'revisions', view: () => revisionCompare(parts[1], parts[3]) };
  if (parts[0] === 'leichte-sprache') return { nav: 'easy', view: () => easyLanguage() };
  return { nav: null, view: async () => h('div', null, h('h1', null, t('notFound'))) };
}

async function render() {
  const mine = ++renders;
  const { nav, view } = route();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  main.setAttribute('aria-busy', 'true');
  let content;
  try {
    useCatalog(await getCatalog());
    content = await view();
  } catch (error) {
    content = h('div', null, h('h1', null, t('problem')), problemBox(error));
  }
  if (mine !== renders) return;
  main.replaceChildren(content);
  main.removeAttribute('aria-busy');
  const heading = main.querySelector('h1');
  document.title = `${heading ? heading.textContent : ''} – ${t('brand')}`;
  // After a navigation, reading starts at the new content (not on the first load).
  if (!first) main.focus({ preventScroll: false });
  if (first) performance.mark('gd-first-view');
  first = false;
  // A counter of finished renders: what a test (or a screen reader script) can wait for.
  document.body.dataset.renders = String(renders);
}

function applyChrome() {
  document.documentElement.lang = lang.current;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang.current));
}

function setLanguage(code) {
  lang.current = code === 'en' ? 'en' : 'de';
  const search = lang.current === 'en' ? '?lang=en' : '';
  history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
  applyChrome();
  render();
}

lang.current = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'de';
applyChrome();
for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => setLanguage(b.dataset.lang));
// The skip link moves focus to the content without touching the route in the hash.
document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
window.addEventListener('hashchange', render);
render();
