/** The dashboard's page: its panels' places, and the elements the controller writes into. */
import { byId } from './dom.util';
import { t } from './i18n';

const layout = () => `
<header class="bar">
  <h1>${t('layout.title')} · <span id="who-role"></span></h1>
  <label class="date">${t('layout.day')} <input id="day" type="date"></label>
  <span id="conn" class="conn" data-testid="connection">${t('layout.connecting')}</span>
  <span id="who" class="who"></span>
  <button id="sign-out" type="button" class="btn small">${t('layout.signOut')}</button>
</header>
<p id="status" class="status" role="status" data-testid="status"></p>
<p id="scope" class="scope" data-testid="scope" hidden></p>
<main class="grid">
  <section class="panel wide">
    <h2>${t('layout.timeline')}</h2>
    <p class="muted small-note">${t('layout.timelineNote')}</p>
    <div id="timeline"></div>
  </section>
  <section class="panel" id="approvals-panel"><h2>${t('layout.approvals')}</h2><div id="approvals"></div></section>
  <section class="panel"><h2>${t('layout.selected')}</h2><div id="selected"></div><h2>${t('layout.bookOnBehalf')}</h2><div id="book"></div></section>
  <section class="panel"><h2>${t('layout.today')}</h2><div id="stats"></div></section>
  <section class="panel"><h2>${t('layout.resources')}</h2><div id="resources"></div><div id="new-resource"></div><div id="calendar-feeds"></div></section>
  <section class="panel" id="access-panel"><div id="access-editor"></div></section>
  <section class="panel" id="groups-panel"><h2>${t('layout.groups')}</h2><div id="groups"></div><div id="user-groups"></div></section>
  <section class="panel" id="api-keys-panel"><h2>${t('layout.apiKeys')}</h2><div id="api-keys"></div></section>
  <section class="panel" id="displays-panel"><h2>${t('layout.displays')}</h2><div id="displays"></div></section>
  <section class="panel" id="webhooks-panel"><h2>${t('layout.webhooks')}</h2><div id="webhooks"></div></section>
  <section class="panel" id="failed-panel"><h2>${t('layout.failed')}</h2><div id="failed"></div></section>
  <section class="panel wide" id="reports-panel" aria-labelledby="reports-title">
    <h2 id="reports-title">${t('layout.reports')}</h2><div id="reports"></div></section>
  <section class="panel" id="account"></section>
</main>`;

/** Replaces `root`'s content with the dashboard's layout; answers its elements. */
export function mountLayout(root: HTMLElement) {
  root.innerHTML = layout();
  return {
    day: byId('day', HTMLInputElement),
    conn: byId('conn', HTMLSpanElement),
    status: byId('status', HTMLParagraphElement),
    timeline: byId('timeline', HTMLDivElement),
    selected: byId('selected', HTMLDivElement),
    book: byId('book', HTMLDivElement),
    stats: byId('stats', HTMLDivElement),
    resources: byId('resources', HTMLDivElement),
    failed: byId('failed', HTMLDivElement),
    approvals: byId('approvals', HTMLDivElement),
    groups: byId('groups', HTMLDivElement),
    userGroups: byId('user-groups', HTMLDivElement),
    access: byId('access-editor', HTMLDivElement),
    scope: byId('scope', HTMLParagraphElement),
    apiKeys: byId('api-keys', HTMLDivElement),
    webhooks: byId('webhooks', HTMLDivElement),
    displays: byId('displays', HTMLDivElement),
  };
}
