// The overview: every dashboard with the same filters, each chart with its figures as a table.
import { get } from './api.js';
import { barTable } from './charts.js';
import { de, h, lbl, section, table } from './dom.js';
import { filterForm } from './forms.js';
import { day, number, percent, t } from './i18n.js';

const filterNames = ['lead', 'district', 'type', 'perspective', 'from', 'to', 'asOf'];

export async function overview(params) {
  const query = Object.fromEntries(filterNames.map((n) => [n, params[n]]));
  const [portfolio, funnel, cycle, overdue, participation, collaboration] = await Promise.all(
    ['portfolio', 'funnel', 'cycle-times', 'overdue', 'participation', 'collaboration'].map((d) => get(`/api/dashboard/${d}`, query)));
  const p = portfolio.figures;
  const f = portfolio.freshness;
  return h('div', { class: 'view overview' },
    h('h1', null, t('overviewTitle')),
    filterForm('/', params, filterNames),
    params.asOf ? h('p', { class: 'notice', role: 'status' }, `${t('asOfShown')} ${day(params.asOf)}.`) : null,
    h('ul', { class: 'kpis', 'aria-label': t('kpiMeasures') },
      kpi('measures', p.measures, t('kpiMeasures')),
      kpi('pilots', participation.figures.measuresWithPilot, t('kpiPilots')),
      kpi('cross', collaboration.figures.crossAdministration, t('kpiCross')),
      kpi('overdue', overdue.figures.milestones.length, t('kpiOverdue'))),
    h('div', { class: 'grid' },
      section('h-stages', t('stagesChart'), barTable({
        id: 'chart-stages', caption: t('stagesChart'), hideCaption: true, headers: [t('stage'), t('measures')], format: (v) => number(v),
        rows: p.stages.map((r) => ({ code: r.code, label: lbl('stages', r.code, r.label), value: r.measures })),
      })),
      section('h-funnel', t('funnelChart'), barTable({
        id: 'chart-funnel', caption: t('funnelChart'), hideCaption: true, headers: [t('stage'), t('reached'), t('conversion')], format: (v) => number(v),
        rows: funnel.figures.stages.map((r) => ({ code: r.code, label: lbl('stages', r.code, r.label), value: r.reached, cells: [percent(r.conversion)] })),
      })),
      section('h-cycle', t('cycleChart'), barTable({
        id: 'chart-cycle', caption: t('cycleChart'), hideCaption: true, headers: [t('stage'), t('median'), t('p90'), t('stays'), t('ongoing')], marker: true,
        rows: cycle.figures.stages.map((r) => ({ code: r.code, label: lbl('stages', r.code, r.label), value: r.medianDays, marker: r.p90Days, cells: [number(r.p90Days, 1), number(r.count), number(r.ongoing)] })),
      }), barTable({
        id: 'chart-outcomes', caption: t('outcomesChart'), headers: [t('outcomeKind'), t('median'), t('p90'), t('count')], marker: true,
        rows: cycle.figures.outcomes.map((r) => ({ code: r.code, label: lbl('stages', r.code, r.label), value: r.medianDays, marker: r.p90Days, cells: [number(r.p90Days, 1), number(r.count)] })),
      })),
      section('h-principles', t('principlesChart'), barTable({
        id: 'chart-principles', caption: t('principlesChart'), hideCaption: true, headers: [t('principle'), t('weighted'), t('measures'), t('share')],
        rows: p.principles.map((r) => ({ code: r.code, label: lbl('guidingPrinciples', r.code, r.label), value: r.weighted, cells: [number(r.measures), percent(r.share)] })),
      })),
      section('h-types', t('typesChart'), barTable({
        id: 'chart-types', caption: t('typesChart'), headers: [t('type'), t('measures')], format: (v) => number(v),
        rows: p.types.map((r) => ({ code: r.code, label: lbl('measureTypes', r.code, r.label), value: r.measures })),
      }), barTable({
        id: 'chart-perspectives', caption: t('perspectivesChart'), headers: [t('perspective'), t('measures')], format: (v) => number(v),
        rows: p.perspectives.map((r) => ({ code: r.code, label: lbl('futurePerspectives', r.code, r.label), value: r.measures })),
      })),
      section('h-overdue', t('overdueTitle'),
        overdue.figures.milestones.length === 0 ? h('p', null, t('none')) : table(t('overdueTitle'),
          [t('measure'), t('lead'), t('milestone'), t('due'), t('daysOverdue')],
          overdue.figures.milestones.map((m) => ({ attrs: { 'data-measure': m.measureId }, cells: [
            h('a', { href: `#/measures/${m.measureId}` }, de(m.title)), lbl('administrations', m.lead), de(m.milestone), day(m.due), number(m.daysOverdue)] })),
          { numeric: [4], class: 'list' }),
        h('h3', null, t('inactiveTitle')),
        overdue.figures.inactive.length === 0 ? h('p', null, t('none')) : table(t('inactiveTitle'),
          [t('measure'), t('stage'), t('lastActivity'), t('daysInactive')],
          overdue.figures.inactive.map((m) => ({ cells: [
            h('a', { href: `#/measures/${m.measureId}` }, de(m.title)), lbl('stages', m.stage, m.stageLabel), day(m.lastActivityAt), number(m.daysInactive)] })),
          { numeric: [3], class: 'list' })),
      section('h-participation', t('participationTitle'),
        barTable({
          id: 'chart-participation', caption: `${t('participationTitle')} (${t('shareOfPilots')})`,
          headers: [t('group'), t('share'), t('measures'), t('events'), t('participants')], format: percent, max: 1,
          rows: participation.figures.groups.map((r) => ({ code: r.code, label: lbl('stakeholderGroups', r.code, r.label), value: r.share, cells: [number(r.measures), number(r.events), number(r.participants)] })),
        }),
        table(t('stilleGruppen'), [t('underHeard'), t('measures'), t('events')],
          participation.figures.underHeardGroups.map((r) => ({ attrs: { 'data-code': r.code }, cells: [lbl('underHeardGroups', r.code, r.label), number(r.measures), number(r.events)] })),
          { numeric: [1, 2] }),
        table(t('formatsTitle'), [t('format'), t('events'), t('participants')],
          participation.figures.formats.filter((r) => r.events > 0).map((r) => ({ cells: [lbl('participationFormats', r.code, r.label), number(r.events), number(r.participants)] })),
          { numeric: [1, 2] })),
      section('h-collaboration', t('collaborationTitle'),
        h('p', null, `${t('crossAdmin')}: `, h('strong', { 'data-figure': 'crossAdministration' }, number(collaboration.figures.crossAdministration)),
          ` (${percent(collaboration.figures.crossAdministrationShare)}); ${t('acrossLevels')}: ${number(collaboration.figures.acrossLevels)}.`),
        barTable({
          id: 'chart-administrations', caption: t('collaborationTitle'), headers: [t('administration'), t('measures'), t('partners')], format: (v) => number(v),
          rows: collaboration.figures.administrations.map((r) => ({ code: r.code, label: lbl('administrations', r.code, r.label), value: r.measures, cells: [number(r.partners)] })),
        }),
        h('details', null, h('summary', null, `${t('pairs')} (${collaboration.figures.edges.length})`),
          table(t('pairs'), [t('pair'), t('measures')],
            collaboration.figures.edges.map((e) => ({ cells: [h('span', null, lbl('administrations', e.a, e.aLabel), ' – ', lbl('administrations', e.b, e.bLabel)), number(e.measures)] })),
            { numeric: [1] })))),
    h('p', { class: 'freshness' }, `${t('freshness')}: ${t('eventSequence')} ${f.eventSequence}, ${t('computedAt')} ${day(f.computedAt)}.`));
}

function kpi(code, value, text) {
  return h('li', { class: 'kpi', 'data-kpi': code }, h('span', { class: 'kpi-value' }, number(value)), h('span', { class: 'kpi-label' }, text));
}
