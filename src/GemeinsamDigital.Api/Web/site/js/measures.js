// The measure list (filters, search, sort, pages, CSV of the page shown) and one measure's page.
import { get, url } from './api.js';
import { bar, indicatorChart } from './charts.js';
import { de, h, lbl, scrollRegion, section, table } from './dom.js';
import { filterForm } from './forms.js';
import { day, label, number, t } from './i18n.js';

const listFilters = ['q', 'stage', 'lead', 'district', 'type', 'perspective', 'principle'];
const sorts = [['-proposedAt', 'sortNewest'], ['proposedAt', 'sortOldest'], ['title', 'sortTitle'], ['stage', 'sortStage'], ['-lastActivityAt', 'sortActivity']];

export async function measureList(params) {
  const query = {};
  for (const n of [...listFilters, 'sort', 'page', 'pageSize']) if (params[n]) query[n] = params[n];
  query.pageSize ??= '25';
  const shown = await get('/api/measures', query);
  const routeWith = (changes) => {
    const q = new URLSearchParams({ ...query, ...changes });
    return `#/measures?${q.toString()}`;
  };
  const form = filterForm('/measures', params, listFilters);
  const fields = form.querySelector('.fields');
  const sortId = 'f-sort', sizeId = 'f-pagesize';
  fields.append(
    h('div', { class: 'field' }, h('label', { for: sortId }, t('sort')),
      h('select', { id: sortId, name: 'sort' }, sorts.map(([v, k]) => h('option', { value: v, selected: (params.sort || '-proposedAt') === v }, t(k))))),
    h('div', { class: 'field' }, h('label', { for: sizeId }, t('pageSize')),
      h('select', { id: sizeId, name: 'pageSize' }, [10, 25, 50, 100].map((n) => h('option', { value: n, selected: Number(params.pageSize || 25) === n }, String(n))))));
  const page = shown.page;
  return h('div', { class: 'view list' },
    h('h1', null, t('listTitle')),
    form,
    h('p', { role: 'status', class: 'count', 'data-total': shown.total }, `${number(shown.total)} ${t('results')} – ${t('page')} ${page} ${t('of')} ${Math.max(1, shown.pageCount)}`),
    h('p', { class: 'downloads' },
      h('a', { href: url('/api/measures', { ...query, format: 'csv' }), download: 'measures.csv', 'data-csv': 'csv' }, t('csv')), ' · ',
      h('a', { href: url('/api/measures', { ...query, format: 'csv-de' }), download: 'measures.csv', 'data-csv': 'csv-de' }, t('csvDe'))),
    table(t('listTitle'), [t('title'), t('stage'), t('lead'), t('type'), t('proposedAt'), t('lastActivity')],
      shown.items.map((m) => ({ attrs: { 'data-id': m.id }, cells: [
        h('a', { href: `#/measures/${m.id}` }, de(m.title)), lbl('stages', m.stage, m.stageLabel), lbl('administrations', m.lead),
        lbl('measureTypes', m.type), day(m.proposedAt), day(m.lastActivityAt)] })),
      { class: 'list' }),
    h('nav', { 'aria-label': t('pagination'), class: 'pager' },
      page > 1 ? h('a', { href: routeWith({ page: page - 1 }), rel: 'prev' }, `← ${t('prev')}`) : null,
      page < shown.pageCount ? h('a', { href: routeWith({ page: page + 1 }), rel: 'next' }, `${t('next')} →`) : null));
}

function milestoneState(m, today) {
  if (m.status === 'reached') return m.reachedOn && m.reachedOn > m.due ? 'msReachedLate' : 'msReached';
  return m.status === 'missed' || m.due < today ? 'msMissed' : 'msOpen';
}

export async function measurePage(id, params) {
  const m = await get(`/api/measures/${encodeURIComponent(id)}`, params.asOf ? { asOf: params.asOf } : {});
  const today = new Date().toISOString().slice(0, 10);
  const indicators = m.indicators.map((ind) => {
    const points = m.measurements.filter((x) => x.indicator === ind.code).sort((a, b) => a.on.localeCompare(b.on));
    const latest = points.length ? points[points.length - 1].value : null;
    const summary = `${ind.name}: ${t('baseline')} ${number(ind.baseline, 2)}, ${t('target')} ${number(ind.target, 2)}`
      + (latest != null ? `, ${t('value')} ${number(latest, 2)} (${points[points.length - 1].on})` : `. ${t('noMeasurement')}`);
    return h('div', { class: 'indicator', 'data-indicator': ind.code },
      h('h3', null, de(ind.name), ind.unit ? ` (${ind.unit})` : ''),
      indicatorChart(ind, points, summary),
      table(`${ind.name}: ${t('indicators')}`, [t('date'), t('value'), t('source')],
        [{ cells: [t('baseline'), number(ind.baseline, 2), '–'] }, ...points.map((x) => ({ cells: [x.on, number(x.value, 2), de(x.source)] })),
          { cells: [t('target'), number(ind.target, 2), '–'] }], { numeric: [1] }));
  });
  const outcome = m.outcome;
  const lessons = [...(outcome ? outcome.lessons : []), ...m.evaluations.flatMap((e) => e.lessons)];
  return h('article', { class: 'view measure' },
    h('p', null, h('a', { href: '#/measures' }, `← ${t('backToList')}`)),
    h('h1', null, de(m.title)),
    h('p', { class: 'badges' },
      h('span', { class: 'badge stage', 'data-stage': m.stage }, lbl('stages', m.stage, m.stageLabel)), ' ',
      h('span', { class: 'badge' }, lbl('measureTypes', m.type)), ' ',
      h('span', { class: 'badge' }, t('lead'), ': ', lbl('administrations', m.lead))),
    params.asOf ? h('p', { class: 'notice', role: 'status' }, `${t('asOfShown')} ${day(params.asOf)}.`) : null,
    h('dl', { class: 'facts' },
      h('dt', null, t('problemStatement')), h('dd', null, de(m.problemStatement)),
      h('dt', null, t('description')), h('dd', null, de(m.description)),
      h('dt', null, t('perspective')), h('dd', null, m.perspectives.length ? m.perspectives.map((p, i) => [i ? ', ' : '', lbl('futurePerspectives', p)]) : '–'),
      m.budget ? [h('dt', null, t('budget')), h('dd', null, `${number(m.budget.amount)} ${m.budget.currency}`)] : null,
      m.pilot ? [h('dt', null, t('pilot')), h('dd', null, `${t('cycle')} ${m.pilot.cycle}: ${day(m.pilot.start)} – ${day(m.pilot.end)}`)] : null),
    h('div', { class: 'grid' },
      section('h-timeline', t('timeline'),
        h('h3', null, t('stagesTimeline')),
        h('ol', { class: 'timeline', id: 'stage-timeline' }, m.stageHistory.map((s, i) => h('li', { 'data-stage': s.stage, class: i === m.stageHistory.length - 1 ? 'current' : null },
          h('span', { class: 'when' }, h('time', { datetime: s.enteredAt }, day(s.enteredAt))), ' ',
          h('span', { class: 'what' }, lbl('stages', s.stage, s.stageLabel))))),
        h('h3', null, t('milestones')),
        m.milestones.length === 0 ? h('p', null, t('none')) : h('ol', { class: 'timeline milestones' }, m.milestones.map((x) => {
          const state = milestoneState(x, today);
          return h('li', { class: state, 'data-milestone': x.id },
            h('span', { class: 'when' }, h('time', { datetime: x.due }, day(x.due))), ' ',
            h('span', { class: 'what' }, de(x.title), ` (${t('cycle')} ${x.cycle}) – `, h('strong', null, t(state)),
              x.reachedOn ? ` (${day(x.reachedOn)})` : ''),
            // Each rescheduling stays visible: the page shows when it was due before.
            (x.previousDues || []).length ? h('span', { class: 'rescheduled', 'data-previous-dues': x.previousDues.join(' ') },
              ` – ${t('msRescheduled')}, ${t('previouslyDue')} `, x.previousDues.map((d, i) => [i ? ', ' : '', h('time', { datetime: d }, day(d))])) : null);
        }))),
      section('h-indicators', t('indicators'), indicators.length ? indicators : h('p', null, t('none'))),
      section('h-team', t('team'),
        table(t('team'), [t('administration'), t('role')],
          (m.responsibilities.length ? m.responsibilities : m.team.map((a) => ({ administration: a, description: null })))
            .map((r) => ({ cells: [lbl('administrations', r.administration), de(r.description)] })))),
      section('h-contributions', t('contributions'),
        m.contributions.length === 0 ? h('p', null, t('none')) : scrollRegion(t('contributions'), h('table', { class: 'chart' },
          h('caption', null, t('contributions')),
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('principle')), h('th', { scope: 'col', class: 'bar-col' }, h('span', { class: 'visually-hidden' }, t('chartBar'))),
            h('th', { scope: 'col', class: 'num' }, t('weight')), h('th', { scope: 'col' }, t('rationale')))),
          h('tbody', null, m.contributions.map((c) => h('tr', { 'data-code': c.principle },
            h('th', { scope: 'row' }, lbl('guidingPrinciples', c.principle)), h('td', { class: 'bar-col' }, bar(c.weight, 3)),
            h('td', { class: 'num' }, number(c.weight)), h('td', null, de(c.rationale)))))))),
      m.participations.length ? section('h-participation', t('participation'),
        table(t('participation'), [t('date'), t('format'), t('group'), t('participants')],
          m.participations.map((p) => ({ cells: [day(p.on), lbl('participationFormats', p.format),
            [...p.stakeholderGroups.map((g) => label('stakeholderGroups', g).text), ...p.underHeardGroups.map((g) => label('underHeardGroups', g).text)].join(', '), number(p.participants)] })),
          { numeric: [3] })) : null,
      section('h-outcome', t('outcome'),
        outcome ? h('p', null, h('strong', null, lbl('stages', outcome.kind)), outcome.mode ? [' (', lbl('outcomeModes', outcome.mode), ')'] : '', ': ', de(outcome.detail)) : h('p', null, t('noOutcome')),
        outcome && outcome.rolloutTo.length ? h('p', null, `${t('rolloutTo')}: `, outcome.rolloutTo.map((a, i) => [i ? ', ' : '', lbl('administrations', a)])) : null,
        lessons.length ? [h('h3', null, t('lessons')), h('ul', null, lessons.map((l) => h('li', null, de(l))))] : null,
        m.risks.length ? [h('h3', null, t('risks')), h('ul', null, m.risks.map((r) => h('li', null, de(r.description), ` – ${r.resolved ? t('resolved') : t('open')}`, r.resolution ? [': ', de(r.resolution)] : null)))] : null),
      section('h-history', t('history'),
        h('p', null, t('historyNote')),
        h('p', null, h('a', { href: `/api/measures/${m.id}/history`, class: 'history' }, h('code', null, `GET /api/measures/${m.id}/history`))))));
}
