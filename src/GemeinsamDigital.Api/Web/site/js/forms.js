// The filter forms: each field a labelled control; submitting puts the filters into the route.
import { h } from './dom.js';
import { catalogList, label, t } from './i18n.js';

let ids = 0;

function options(kind, selected, filter) {
  return [
    h('option', { value: '' }, t('any')),
    catalogList(kind).filter(filter || (() => true)).map((item) => {
      const l = label(kind, item.code, item.label);
      return h('option', { value: item.code, selected: item.code === selected, lang: l.lang }, l.text);
    }),
  ];
}

export const fields = {
  lead: (p) => select('lead', t('lead'), options('administrations', p.lead)),
  district: (p) => select('district', t('district'), options('administrations', p.district, (a) => a.group === 'bezirk')),
  type: (p) => select('type', t('type'), options('measureTypes', p.type)),
  perspective: (p) => select('perspective', t('perspective'), options('futurePerspectives', p.perspective)),
  principle: (p) => select('principle', t('principle'), options('guidingPrinciples', p.principle)),
  stage: (p) => select('stage', t('stage'), options('stages', p.stage)),
  from: (p) => input('from', t('from'), 'date', p.from),
  to: (p) => input('to', t('to'), 'date', p.to),
  asOf: (p) => input('asOf', t('asOf'), 'date', p.asOf, t('asOfHint')),
  q: (p) => input('q', t('search'), 'search', p.q),
};

function select(name, text, opts) {
  const id = `f-${name}-${++ids}`;
  return h('div', { class: 'field' }, h('label', { for: id }, text), h('select', { id, name }, opts));
}

function input(name, text, type, value, hint) {
  const id = `f-${name}-${++ids}`;
  const hintId = hint ? `${id}-hint` : null;
  const today = new Date().toISOString().slice(0, 10);
  return h('div', { class: 'field' },
    h('label', { for: id }, text),
    h('input', { id, name, type, value: value || '', max: type === 'date' ? today : null, 'aria-describedby': hintId }),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

/** A filter form for a route: the named fields, Apply and Reset; extra hidden values are kept. */
export function filterForm(routePath, params, names, keep = {}) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('filters') },
    h('fieldset', null, h('legend', null, t('filters')),
      h('div', { class: 'fields' }, names.map((n) => fields[n](params))),
      h('div', { class: 'actions' },
        h('button', { type: 'submit' }, t('apply')),
        h('a', { href: `#${routePath}`, class: 'button secondary' }, t('reset')))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    for (const [k, v] of Object.entries(keep)) if (v) q.set(k, v);
    const query = q.toString();
    location.hash = `#${routePath}${query ? `?${query}` : ''}`;
  });
  return form;
}
