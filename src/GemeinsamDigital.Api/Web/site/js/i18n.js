// The page's own words (navigation, headings, buttons) in German and English. Everything the
// strategy names (stages, administrations, types, perspectives, groups) comes from the catalogue.

const words = {
  de: {
    skip: 'Zum Inhalt springen', brand: 'Gemeinsam Digital: Berlin – Monitoring', navLabel: 'Hauptnavigation',
    navOverview: 'Überblick', navMeasures: 'Maßnahmen', navRevisions: 'Revisionsphasen', loading: 'Wird geladen …',
    footer: 'Alle Zahlen kommen aus der öffentlichen API dieses Dienstes.', footerApi: 'API-Dokumentation',
    overviewTitle: 'Überblick: Wie steht die Strategie?', filters: 'Filter', lead: 'Federführung', district: 'Bezirk',
    type: 'Maßnahmentyp', perspective: 'Zukunftsperspektive', principle: 'Leitgedanke', stage: 'Phase', from: 'Von', to: 'Bis',
    asOf: 'Stand am', asOfHint: 'Leer lassen für heute. Ein Datum zeigt den Stand um 0:00 Uhr (UTC) dieses Tages.',
    any: 'alle', apply: 'Anwenden', reset: 'Zurücksetzen', search: 'Suche in Titel und Beschreibung', sort: 'Sortierung',
    pageSize: 'Pro Seite', measures: 'Maßnahmen', measure: 'Maßnahme', count: 'Anzahl',
    stagesChart: 'Maßnahmen je Phase', funnelChart: 'Trichter: wie viele Maßnahmen jede Phase erreicht haben',
    reached: 'erreicht', conversion: 'Übergang von der vorigen Phase', cycleChart: 'Durchlaufzeiten je Phase (Tage)',
    median: 'Median (Tage)', p90: '90. Perzentil (Tage)', stays: 'abgeschlossene Aufenthalte', ongoing: 'jetzt in der Phase',
    outcomesChart: 'Tage vom Vorschlag bis zum Ergebnis', overdueTitle: 'Überfällige Meilensteine', due: 'fällig am',
    daysOverdue: 'Tage überfällig', milestone: 'Meilenstein', inactiveTitle: 'Maßnahmen ohne Aktivität',
    daysInactive: 'Tage ohne Aktivität', lastActivity: 'Letzte Änderung', none: 'Keine.',
    participationTitle: 'Beteiligung der Fünffach-Helix', group: 'Gruppe', share: 'Anteil', participants: 'Teilnehmende',
    events: 'Veranstaltungen', stilleGruppen: 'Stille Gruppen', underHeard: 'Stille Gruppe', formatsTitle: 'Beteiligungsformate',
    format: 'Format', shareOfPilots: 'Anteil an Maßnahmen mit Pilot', collaborationTitle: 'Zusammenarbeit der Verwaltungen',
    administration: 'Verwaltung', partners: 'Partner', pairs: 'Gemeinsame Projektteams', pair: 'Paar',
    crossAdmin: 'Maßnahmen über Verwaltungsgrenzen', acrossLevels: 'über Ebenen hinweg', total: 'Maßnahmen insgesamt',
    withGoals: 'mit Zielen', table: 'Zahlen als Tabelle', freshness: 'Stand der Zahlen', eventSequence: 'Ereignis-Nummer',
    computedAt: 'berechnet', asOfShown: 'Sie sehen den Stand am', kpiMeasures: 'Maßnahmen', kpiPilots: 'mit Pilot',
    kpiCross: 'gemeinsam mit anderen', kpiOverdue: 'überfällige Meilensteine', principlesChart: 'Beitrag zu den Leitgedanken',
    weighted: 'gewichtet', listTitle: 'Maßnahmen', results: 'Treffer', page: 'Seite', of: 'von', prev: 'Vorige Seite',
    next: 'Nächste Seite', csv: 'Diese Seite als CSV', csvDe: 'CSV für Excel (deutsch)', title: 'Titel', proposedAt: 'Vorgeschlagen',
    sortNewest: 'Neueste zuerst', sortOldest: 'Älteste zuerst', sortTitle: 'Titel A–Z', sortStage: 'Phase',
    sortActivity: 'Zuletzt geändert', pagination: 'Seiten', problem: 'Die Daten konnten nicht geladen werden',
    backToList: 'Zur Liste', timeline: 'Verlauf', stagesTimeline: 'Phasen', milestones: 'Meilensteine',
    msReached: 'erreicht', msReachedLate: 'verspätet erreicht', msMissed: 'verpasst (überfällig)', msOpen: 'offen', msRescheduled: 'verschoben', previouslyDue: 'vorher fällig am',
    reachedOn: 'erreicht am', cycle: 'Pilotzyklus', indicators: 'Kennzahlen', baseline: 'Ausgangswert', target: 'Zielwert',
    value: 'Wert', date: 'Datum', source: 'Quelle', noMeasurement: 'Noch keine Messung.', team: 'Team',
    role: 'Aufgabe', contributions: 'Beitrag zu den Leitgedanken', weight: 'Gewicht (0–3)', rationale: 'Begründung',
    outcome: 'Ergebnis und Lehren', lessons: 'Lehren', noOutcome: 'Noch kein Ergebnis.', history: 'Vollständiger Verlauf',
    historyNote: 'Für Prüfende mit API-Schlüssel (Header X-Api-Key): jede Änderung mit Zeit, Person und Begründung.',
    problemStatement: 'Problem', description: 'Beschreibung', participation: 'Beteiligung', budget: 'Budget',
    pilot: 'Pilot', risks: 'Risiken', resolved: 'gelöst', open: 'offen', since: 'seit', rolloutTo: 'Übertragen an',
    revisionsTitle: 'Revisionsphasen', name: 'Name', period: 'Zeitraum', status: 'Status', closedAt: 'Abgeschlossen am',
    snapshot: 'Momentaufnahme', compareTitle: 'Zwei Phasen vergleichen', compare: 'Vergleichen', phaseFrom: 'Frühere Phase',
    phaseTo: 'Spätere Phase', snapshotHash: 'Prüfsumme der Momentaufnahme', noSnapshot: 'noch offen',
    cmp_added: 'Neu', cmp_advanced: 'Vorangekommen', cmp_stalled: 'Stehen geblieben', cmp_scaled: 'Skaliert',
    cmp_stopped: 'Gestoppt', cmp_withdrawn: 'Zurückgezogen', cmp_finished: 'Abgeschlossen', cmp_removed: 'Nicht mehr enthalten',
    fromStage: 'vorher', toStage: 'nachher', entered: 'durchlaufene Phasen', stageChanges: 'Maßnahmen je Phase: vorher und nachher',
    delta: 'Änderung', compareOf: 'Vergleich', lessonsPhase: 'Lehren der Phase', indicatorsSummary: 'Kennzahlen',
    achieved: 'erreicht', onTrack: 'im Plan', behind: 'im Verzug', noData: 'ohne Messung', shareOnTrack: 'Anteil im Plan',
    notFound: 'Nicht gefunden.', perspectivesChart: 'Maßnahmen je Zukunftsperspektive', typesChart: 'Maßnahmen je Typ',
    stagesAt: 'Phase', easyTitle: 'Leichte Sprache', chartBar: 'Balken', outcomeKind: 'Ergebnis',
  },
  en: {
    skip: 'Skip to content', brand: 'Gemeinsam Digital: Berlin – Monitoring', navLabel: 'Main navigation',
    navOverview: 'Overview', navMeasures: 'Measures', navRevisions: 'Revision phases', loading: 'Loading …',
    footer: 'Every figure comes from this service\'s public API.', footerApi: 'API documentation',
    overviewTitle: 'Overview: where does the strategy stand?', filters: 'Filters', lead: 'Lead', district: 'District',
    type: 'Measure type', perspective: 'Future perspective', principle: 'Guiding principle', stage: 'Stage', from: 'From', to: 'To',
    asOf: 'As of', asOfHint: 'Leave empty for today. A date shows the state at 0:00 (UTC) of that day.',
    any: 'all', apply: 'Apply', reset: 'Reset', search: 'Search title and description', sort: 'Sort',
    pageSize: 'Per page', measures: 'Measures', measure: 'Measure', count: 'Count',
    stagesChart: 'Measures per stage', funnelChart: 'Funnel: how many measures reached each stage',
    reached: 'reached', conversion: 'Conversion from the stage before', cycleChart: 'Cycle times per stage (days)',
    median: 'Median (days)', p90: '90th percentile (days)', stays: 'completed stays', ongoing: 'in it now',
    outcomesChart: 'Days from proposal to outcome', overdueTitle: 'Overdue milestones', due: 'due',
    daysOverdue: 'days overdue', milestone: 'Milestone', inactiveTitle: 'Measures without activity',
    daysInactive: 'days inactive', lastActivity: 'Last change', none: 'None.',
    participationTitle: 'Participation of the five-fold helix', group: 'Group', share: 'Share', participants: 'Participants',
    events: 'Events', stilleGruppen: 'Under-heard groups', underHeard: 'Under-heard group', formatsTitle: 'Participation formats',
    format: 'Format', shareOfPilots: 'Share of measures with a pilot', collaborationTitle: 'Collaboration between administrations',
    administration: 'Administration', partners: 'Partners', pairs: 'Shared project teams', pair: 'Pair',
    crossAdmin: 'Measures across administrations', acrossLevels: 'across levels', total: 'Measures in total',
    withGoals: 'with goals', table: 'Figures as a table', freshness: 'Figures as of', eventSequence: 'event number',
    computedAt: 'computed', asOfShown: 'You are looking at the state on', kpiMeasures: 'measures', kpiPilots: 'with a pilot',
    kpiCross: 'across administrations', kpiOverdue: 'overdue milestones', principlesChart: 'Contribution to the guiding principles',
    weighted: 'weighted', listTitle: 'Measures', results: 'results', page: 'Page', of: 'of', prev: 'Previous page',
    next: 'Next page', csv: 'This page as CSV', csvDe: 'CSV for German spreadsheets', title: 'Title', proposedAt: 'Proposed',
    sortNewest: 'Newest first', sortOldest: 'Oldest first', sortTitle: 'Title A–Z', sortStage: 'Stage',
    sortActivity: 'Recently changed', pagination: 'Pages', problem: 'The data could not be loaded',
    backToList: 'Back to the list', timeline: 'Timeline', stagesTimeline: 'Stages', milestones: 'Milestones',
    msReached: 'reached', msReachedLate: 'reached late', msMissed: 'missed (overdue)', msOpen: 'open', msRescheduled: 'rescheduled', previouslyDue: 'previously due',
    reachedOn: 'reached on', cycle: 'Pilot cycle', indicators: 'Indicators', baseline: 'Baseline', target: 'Target',
    value: 'Value', date: 'Date', source: 'Source', noMeasurement: 'No measurement yet.', team: 'Team',
    role: 'Role', contributions: 'Contribution to the guiding principles', weight: 'Weight (0–3)', rationale: 'Rationale',
    outcome: 'Outcome and lessons', lessons: 'Lessons', noOutcome: 'No outcome yet.', history: 'Full history',
    historyNote: 'For auditors with an API key (header X-Api-Key): every change with time, person and reason.',
    problemStatement: 'Problem', description: 'Description', participation: 'Participation', budget: 'Budget',
    pilot: 'Pilot', risks: 'Risks', resolved: 'resolved', open: 'open', since: 'since', rolloutTo: 'Rolled out to',
    revisionsTitle: 'Revision phases', name: 'Name', period: 'Period', status: 'Status', closedAt: 'Closed on',
    snapshot: 'Snapshot', compareTitle: 'Compare two phases', compare: 'Compare', phaseFrom: 'Earlier phase',
    phaseTo: 'Later phase', snapshotHash: 'Snapshot hash', noSnapshot: 'still open',
    cmp_added: 'New', cmp_advanced: 'Moved on', cmp_stalled: 'Stalled', cmp_scaled: 'Scaled',
    cmp_stopped: 'Stopped', cmp_withdrawn: 'Withdrawn', cmp_finished: 'Finished', cmp_removed: 'No longer included',
    fromStage: 'before', toStage: 'after', entered: 'stages passed', stageChanges: 'Measures per stage: before and after',
    delta: 'Change', compareOf: 'Comparison', lessonsPhase: 'Lessons of the phase', indicatorsSummary: 'Indicators',
    achieved: 'achieved', onTrack: 'on track', behind: 'behind', noData: 'no measurement', shareOnTrack: 'Share on track',
    notFound: 'Not found.', perspectivesChart: 'Measures per future perspective', typesChart: 'Measures per type',
    stagesAt: 'Stage', easyTitle: 'Easy German (Leichte Sprache)', chartBar: 'Bar', outcomeKind: 'Outcome',
  },
};

// The catalogue names stages in German only; their English names are the page's own.
const stageNames = {
  idea: 'Idea', 'problem-understood': 'Problem understood', 'goals-defined': 'Goals defined', mandated: 'Mandated',
  pilot: 'Pilot', evaluation: 'Evaluation', evaluated: 'Evaluated', scaled: 'Scaled/made permanent', iterated: 'Iterated',
  stopped: 'Stopped', withdrawn: 'Withdrawn', archived: 'Archived',
};

export const lang = { current: 'de' };

export function t(key) {
  return words[lang.current][key] ?? words.de[key] ?? key;
}

export function locale() {
  return lang.current === 'en' ? 'en-GB' : 'de-DE';
}

let catalog = null;
const index = new Map();

/** Keeps the catalogue for labels: every list of {code, label, englishLabel}. */
export function useCatalog(c) {
  catalog = c;
  for (const [kind, items] of Object.entries(c)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (item && item.code) index.set(`${kind}:${item.code}`, item);
    }
  }
}

export function catalogList(kind) {
  return (catalog && catalog[kind]) || [];
}

/**
 * The label of a code: English where the catalogue (or, for stages, this page) has one, else the
 * German label. Returns {text, lang} so German text inside an English page is marked as such.
 */
export function label(kind, code, fallback) {
  if (code == null) return { text: '–', lang: null };
  const item = index.get(`${kind}:${code}`);
  if (lang.current === 'en') {
    if (kind === 'stages' && stageNames[code]) return { text: stageNames[code], lang: null };
    if (item && item.englishLabel) return { text: item.englishLabel, lang: null };
    return { text: (item && item.label) || fallback || code, lang: 'de' };
  }
  return { text: (item && item.label) || fallback || code, lang: null };
}

export function number(value, digits = 0) {
  if (value == null) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

export function percent(value) {
  if (value == null) return '–';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

export function day(value) {
  if (!value) return '–';
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d);
}
