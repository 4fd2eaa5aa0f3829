// Revision phases: the list, a closed phase's snapshot, and the comparison of two phases.
import { get } from './api.js';
import { barTable } from './charts.js';
import { de, h, lbl, section, table } from './dom.js';
import { day, number, percent, t } from './i18n.js';

const lists = ['added', 'advanced', 'stalled', 'scaled', 'stopped', 'withdrawn', 'finished', 'removed'];

export async function revisionList() {
  const { items } = await get('/api/revisions');
  const closed = items.filter((p) => p.status === 'closed').sort((a, b) => a.from.localeCompare(b.from));
  const form = h('form', { class: 'filters', id: 'compare-form' },
    h('fieldset', null, h('legend', null, t('compareTitle')),
      h('div', { class: 'fields' },
        phaseSelect('cmp-from', t('phaseFrom'), closed, closed.length > 1 ? closed[closed.length - 2].id : null),
        phaseSelect('cmp-to', t('phaseTo'), closed, closed.length ? closed[closed.length - 1].id : null)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('compare')))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const a = form.querySelector('#cmp-from').value, b = form.querySelector('#cmp-to').value;
    if (a && b) location.hash = `#/revisions/${a}/compare/${b}`;
  });
  return h('div', { class: 'view revisions' },
    h('h1', null, t('revisionsTitle')),
    table(t('revisionsTitle'), [t('name'), t('period'), t('status'), t('closedAt'), t('lessons')],
      items.map((p) => ({ attrs: { 'data-id': p.id }, cells: [
        p.status === 'closed' ? h('a', { href: `#/revisions/${p.id}` }, de(p.name)) : de(p.name),
        `${day(p.from)} – ${day(p.to)}`, lbl('revisionPhaseStatuses', p.status, p.statusLabel),
        p.closedAt ? day(p.closedAt) : t('noSnapshot'), number(p.lessons.length)] })),
      { class: 'list' }),
    closed.length > 1 ? form : null);
}

function phaseSelect(id, text, phases, selected) {
  return h('div', { class: 'field' }, h('label', { for: id }, text),
    h('select', { id }, phases.map((p) => h('option', { value: p.id, selected: p.id === selected }, p.name))));
}

export async function revisionSnapshot(id) {
  const answer = await get(`/api/revisions/${encodeURIComponent(id)}/snapshot`);
  const snap = answer.snapshot;
  const ind = snap.indicators;
  return h('article', { class: 'view snapshot' },
    h('p', null, h('a', { href: '#/revisions' }, `← ${t('revisionsTitle')}`)),
    h('h1', null, `${t('snapshot')}: `, de(answer.name)),
    h('dl', { class: 'facts' },
      h('dt', null, t('period')), h('dd', null, `${day(snap.from)} – ${day(snap.to)}`),
      h('dt', null, t('closedAt')), h('dd', null, day(answer.closedAt)),
      h('dt', null, t('total')), h('dd', { 'data-figure': 'measures' }, number(snap.portfolio.measures)),
      h('dt', null, t('snapshotHash')), h('dd', null, h('code', { class: 'hash' }, answer.snapshotHash))),
    h('div', { class: 'grid' },
      section('h-snap-stages', t('stagesChart'), barTable({
        id: 'chart-snapshot-stages', caption: t('stagesChart'), hideCaption: true, headers: [t('stage'), t('measures')], format: (v) => number(v),
        rows: snap.portfolio.stages.map((r) => ({ code: r.code, label: lbl('stages', r.code, r.label), value: r.measures })),
      })),
      section('h-snap-indicators', t('indicatorsSummary'),
        table(t('indicatorsSummary'), [t('status'), t('count')], [
          { cells: [t('achieved'), number(ind.achieved)] }, { cells: [t('onTrack'), number(ind.onTrack)] },
          { cells: [t('behind'), number(ind.behind)] }, { cells: [t('noData'), number(ind.noData)] },
          { cells: [t('shareOnTrack'), percent(ind.shareOnTrack)] }], { numeric: [1] })),
      section('h-snap-lessons', t('lessonsPhase'),
        snap.lessons.length ? h('ol', null, snap.lessons.map((l) => h('li', null, de(l.text)))) : h('p', null, t('none')))),
    section('h-snap-measures', t('measures'),
      table(t('measures'), [t('title'), t('stage'), t('lead'), t('type')],
        snap.measures.map((m) => ({ cells: [h('a', { href: `#/measures/${m.id}` }, de(m.title)), lbl('stages', m.stage, m.stageLabel), lbl('administrations', m.lead), lbl('measureTypes', m.type)] })),
        { class: 'list' })));
}

export async function revisionCompare(a, b) {
  const c = await get(`/api/revisions/${encodeURIComponent(a)}/compare/${encodeURIComponent(b)}`);
  return h('article', { class: 'view compare' },
    h('p', null, h('a', { href: '#/revisions' }, `← ${t('revisionsTitle')}`)),
    h('h1', null, `${t('compareOf')}: `, de(c.from.name), ' → ', de(c.to.name)),
    h('ul', { class: 'kpis' }, lists.map((name) => h('li', { class: 'kpi', 'data-kpi': name },
      h('span', { class: 'kpi-value' }, number(c[name].length)), h('span', { class: 'kpi-label' }, t(`cmp_${name}`))))),
    section('h-cmp-stages', t('stageChanges'),
      table(t('stageChanges'), [t('stage'), t('fromStage'), t('toStage'), t('delta')],
        c.stages.map((r) => ({ attrs: { 'data-code': r.code }, cells: [lbl('stages', r.code, r.label), number(r.from), number(r.to), signed(r.delta)] })),
        { numeric: [1, 2, 3] })),
    h('div', { class: 'grid' }, lists.filter((name) => c[name].length > 0).map((name) => section(`h-cmp-${name}`, `${t(`cmp_${name}`)} (${c[name].length})`,
      h('ul', { class: 'changes', 'data-list': name }, c[name].map((m) => h('li', { 'data-measure': m.measureId },
        h('a', { href: `#/measures/${m.measureId}` }, de(m.title)), ': ',
        m.fromStage ? lbl('stages', m.fromStage, m.fromStageLabel) : '–', ' → ', m.toStage ? lbl('stages', m.toStage, m.toStageLabel) : '–',
        m.entered.length ? h('span', { class: 'entered' }, ` (${t('entered')}: `, m.entered.map((s, i) => [i ? ', ' : '', lbl('stages', s, m.enteredLabels[i])]), ')') : null)))))));
}

function signed(v) {
  return v > 0 ? `+${number(v)}` : number(v);
}
