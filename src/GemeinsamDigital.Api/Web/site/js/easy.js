// A short explanation of the page in Leichte Sprache (German easy language), written for this page.
import { h } from './dom.js';

export async function easyLanguage() {
  return h('article', { class: 'view easy', lang: 'de' },
    h('h1', null, 'Leichte Sprache: Was zeigt diese Seite?'),
    h('p', null, 'Berlin will digitaler werden.'),
    h('p', null, 'Dafür gibt es einen Plan.', h('br'), 'Der Plan heißt: Gemeinsam Digital: Berlin.'),
    h('p', null, 'In dem Plan gibt es viele Maßnahmen.', h('br'), 'Eine Maßnahme ist ein Projekt.', h('br'), 'Zum Beispiel: eine App für Bäume in der Stadt.'),
    h('h2', null, 'Was Sie hier sehen'),
    h('ul', null,
      h('li', null, h('a', { href: '#/' }, 'Überblick'), ': Wie viele Maßnahmen gibt es? Wie weit sind sie?'),
      h('li', null, h('a', { href: '#/measures' }, 'Maßnahmen'), ': Alle Maßnahmen in einer Liste. Sie können suchen.'),
      h('li', null, h('a', { href: '#/revisions' }, 'Revisionsphasen'), ': Jedes Jahr wird geprüft: Was hat sich verändert?')),
    h('h2', null, 'Die Schritte einer Maßnahme'),
    h('ol', null,
      h('li', null, 'Idee: Jemand hat eine Idee.'),
      h('li', null, 'Problem verstanden: Das Problem ist klar.'),
      h('li', null, 'Ziele definiert: Die Ziele sind klar.'),
      h('li', null, 'Mandatiert: Die Maßnahme darf starten.'),
      h('li', null, 'Pilot: Die Maßnahme wird ausprobiert.'),
      h('li', null, 'Evaluation: Man prüft: Hat es geklappt?'),
      h('li', null, 'Danach: Die Maßnahme wird größer. Oder sie wird verbessert. Oder sie wird gestoppt.')),
    h('p', null, 'Auf dieser Seite werden keine Daten über Sie gespeichert.'));
}
