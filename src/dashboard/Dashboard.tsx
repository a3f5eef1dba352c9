import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Messaging, Translate } from '../ui/messaging';
import type { TallyDb } from '../background/tally';
import type { SiteTally } from '../shared/types';
import { HOOK_KINDS } from '../shared/types';
import { scoreSite, type SiteScore } from '../shared/score';
import { parseSettingsFile, toSettingsFile, type SettingsData } from '../shared/settings-file';
import { talliesCsv, talliesJson } from '../ui/export';
import { GradeBadge } from '../ui/GradeBadge';
import { PolicyPanel } from './PolicyPanel';

export interface DashboardProps {
  messaging: Messaging;
  t: Translate;
  now: () => number;
}

interface Row {
  site: string;
  tally: SiteTally;
  score: SiteScore;
  thirdParties: number;
  attempts: number;
  blocked: number;
}

type SortKey = 'site' | 'without' | 'with' | 'thirdParties' | 'attempts' | 'blocked' | 'lastSeen';
const SORT_KEYS: readonly SortKey[] = ['site', 'without', 'with', 'thirdParties', 'attempts', 'blocked', 'lastSeen'];

function rowOf(tally: SiteTally): Row {
  let attempts = 0;
  let blocked = 0;
  let thirdParties = 0;
  for (const o of Object.values(tally.origins)) {
    if (o.party === 'third') thirdParties++;
    for (const k of HOOK_KINDS) {
      attempts += o.kinds[k]?.attempted ?? 0;
      blocked += o.kinds[k]?.blocked ?? 0;
    }
  }
  return { site: tally.site, tally, score: scoreSite(tally), thirdParties, attempts, blocked };
}

const sortValue = (r: Row, k: SortKey): string | number => {
  switch (k) {
    case 'site': return r.site;
    case 'without': return r.score.exposure.score;
    case 'with': return r.score.residual.score;
    case 'thirdParties': return r.thirdParties;
    case 'attempts': return r.attempts;
    case 'blocked': return r.blocked;
    case 'lastSeen': return r.tally.lastSeen;
  }
};

interface Download { name: string; url: string }

export function Dashboard({ messaging, t, now }: DashboardProps) {
  const [db, setDb] = useState<TallyDb | null>(null);
  const [settings, setSettings] = useState<SettingsData | null>(null);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'without', desc: true });
  const [selected, setSelected] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [download, setDownload] = useState<Download | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);

  const report = (e: unknown) => setStatus({ ok: false, text: e instanceof Error ? e.message : String(e) });
  const refresh = () => {
    messaging.send({ type: 'ui/all' }).then(setDb, report);
    messaging.send({ type: 'ui/settings' }).then(setSettings, report);
  };
  useEffect(refresh, []);

  const rows = useMemo(() => {
    const all = Object.values(db?.sites ?? {}).map(rowOf);
    const f = filter.trim().toLowerCase();
    const shown = f ? all.filter((r) => r.site.includes(f) || Object.keys(r.tally.origins).some((o) => o.toLowerCase().includes(f))) : all;
    const dir = sort.desc ? -1 : 1;
    return shown.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return c !== 0 ? c * dir : a.site.localeCompare(b.site);
    });
  }, [db, filter, sort]);

  const offer = (name: string, type: string, text: string) => {
    if (download) URL.revokeObjectURL(download.url);
    const url = URL.createObjectURL(new Blob([text], { type }));
    setDownload({ name, url });
    // Start the download at once; the link stays for a second try.
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
  };

  const clearSite = (site: string | null) => {
    messaging.send({ type: 'ui/clear', site }).then(() => {
      setStatus({ ok: true, text: site ? t('clearedSite', site) : t('clearedAll') });
      setSelected(null);
      setConfirmAll(false);
      refresh();
    }, report);
  };

  const importFile = async (file: File) => {
    const parsed = parseSettingsFile(await file.text());
    if (!parsed.ok) {
      setStatus({ ok: false, text: t('importError', parsed.error) });
      return;
    }
    try {
      const saved = await messaging.send({ type: 'ui/import-settings', settings: parsed.value });
      setSettings(saved);
      setStatus({ ok: true, text: t('importOk', String(Object.keys(saved.sites).length)) });
    } catch (e) {
      report(e);
    }
  };

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" data-sort={key} onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : key !== 'site' })}>
        {label}
      </button>
    </th>
  );

  const detail = selected ? db?.sites[selected] : undefined;

  return (
    <main>
      <h1>{t('dashboardTitle')}</h1>
      {status ? <p role={status.ok ? 'status' : 'alert'} data-testid="status" class={status.ok ? 'ok' : 'error'}>{status.text}</p> : null}

      <section aria-labelledby="sites-h">
        <h2 id="sites-h">{t('sites')}</h2>
        <div class="toolbar">
          <label>
            {t('filterSites')} <input type="search" data-testid="filter" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
          </label>
          <button type="button" onClick={refresh} data-testid="refresh">{t('refresh')}</button>
        </div>
        {rows.length === 0 ? <p data-testid="no-sites">{t('noSites')}</p> : (
          <table data-testid="sites">
            <thead>
              <tr>
                {header('site', t('colSite'))}
                {header('without', t('withoutUntapped'))}
                {header('with', t('withUntapped'))}
                {header('thirdParties', t('colThirdParties'))}
                {header('attempts', t('colAttempts'))}
                {header('blocked', t('blocked'))}
                {header('lastSeen', t('colLastSeen'))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.site} data-site={r.site} class={r.site === selected ? 'selected' : ''}>
                  <th scope="row"><button type="button" class="link" onClick={() => setSelected(r.site)}>{r.site}</button></th>
                  <td data-field="without" data-grade={r.score.exposure.grade}>{r.score.exposure.grade} {r.score.exposure.score}</td>
                  <td data-field="with" data-grade={r.score.residual.grade}>{r.score.residual.grade} {r.score.residual.score}</td>
                  <td data-field="thirdParties">{r.thirdParties}</td>
                  <td data-field="attempts">{r.attempts}</td>
                  <td data-field="blocked">{r.blocked}</td>
                  <td data-field="lastSeen"><time dateTime={new Date(r.tally.lastSeen).toISOString()}>{new Date(r.tally.lastSeen).toLocaleString()}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {detail ? <SiteDetail tally={detail} t={t} now={now} onClear={() => clearSite(detail.site)} /> : null}

      <section aria-labelledby="data-h">
        <h2 id="data-h">{t('dataTitle')}</h2>
        <div class="toolbar">
          <button type="button" data-testid="export-json" disabled={!db} onClick={() => db && offer('untapped-tallies.json', 'application/json', talliesJson(db, now()))}>{t('exportJson')}</button>
          <button type="button" data-testid="export-csv" disabled={!db} onClick={() => db && offer('untapped-tallies.csv', 'text/csv', talliesCsv(db))}>{t('exportCsv')}</button>
          <button type="button" data-testid="clear-all" class="danger" onClick={() => (confirmAll ? clearSite(null) : setConfirmAll(true))}>
            {confirmAll ? t('clearAllConfirm') : t('clearAll')}
          </button>
        </div>
        {download ? <p><a data-testid="download" href={download.url} download={download.name}>{t('downloadAgain', download.name)}</a></p> : null}
      </section>

      <section aria-labelledby="settings-h">
        <h2 id="settings-h">{t('settingsTitle')}</h2>
        {settings ? (
          <p data-testid="settings-summary" data-default-mode={settings.defaultMode} data-site-count={Object.keys(settings.sites).length}>
            {t('settingsSummary', [t(`mode_${settings.defaultMode}`), String(Object.keys(settings.sites).length)])}
          </p>
        ) : null}
        <div class="toolbar">
          <button type="button" data-testid="export-settings" disabled={!settings}
            onClick={() => settings && offer('untapped-settings.json', 'application/json', JSON.stringify(toSettingsFile(settings), null, 2))}>
            {t('exportSettings')}
          </button>
          <label class="file">
            {t('importSettings')}{' '}
            <input type="file" accept="application/json,.json" data-testid="import-settings"
              onChange={(e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) void importFile(f); }} />
          </label>
        </div>
        <PolicyPanel />
      </section>

      {/* Automation reads the full tallies from here (docs/automation.md). */}
      <script type="application/json" id="tallies" data-state={db ? 'ready' : 'loading'}>{db ? JSON.stringify(db) : ''}</script>
    </main>
  );
}

const HOUR = 3_600_000;

function SiteDetail({ tally, t, now, onClear }: { tally: SiteTally; t: Translate; now: () => number; onClear: () => void }) {
  const score = scoreSite(tally);
  const origins = Object.entries(tally.origins).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="detail-h" data-testid="detail" data-site={tally.site}>
      <h2 id="detail-h">{t('detailTitle', tally.site)}</h2>
      <div class="grades">
        <GradeBadge figure={score.exposure} label={t('withoutUntapped')} testid="detail-grade-exposure" t={t} />
        <GradeBadge figure={score.residual} label={t('withUntapped')} testid="detail-grade" t={t} />
      </div>
      <table data-testid="detail-origins">
        <thead>
          <tr>
            <th scope="col">{t('scriptOrigin')}</th>
            {HOOK_KINDS.map((k) => <th scope="col" key={k}>{t(`kind_${k}`)}</th>)}
            <th scope="col">{t('sensitiveColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {origins.map(([origin, o]) => (
            <tr key={origin} data-origin={origin} data-party={o.party}>
              <th scope="row">{origin}<small>{o.party === 'third' ? t('thirdParty') : t('firstParty')}</small></th>
              {HOOK_KINDS.map((k) => {
                const c = o.kinds[k];
                return <td key={k} data-kind={k}>{c ? t('countsCell', [String(c.attempted), String(c.blocked), String(c.allowed)]) : '–'}</td>;
              })}
              <td data-field="sensitive">{o.sensitive}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Timeline timeline={tally.timeline} t={t} now={now} />
      <button type="button" class="danger" data-testid="clear-site" onClick={onClear}>{t('clearSite')}</button>
    </section>
  );
}

/** Attempts per hour as bars, from the first hour seen to now (at most the stored window). */
function Timeline({ timeline, t, now }: { timeline: Record<string, number>; t: Translate; now: () => number }) {
  const hours = Object.keys(timeline).map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  if (hours.length === 0) return <p>{t('chartEmpty')}</p>;
  const first = hours[0]!;
  const last = Math.max(hours[hours.length - 1]!, Math.floor(now() / HOUR));
  const span = last - first + 1;
  const max = Math.max(...hours.map((h) => timeline[h] ?? 0));
  const W = 560;
  const H = 120;
  const barW = W / span;
  return (
    <figure>
      <svg data-testid="chart" viewBox={`0 0 ${W} ${H + 16}`} width="100%" role="img" aria-label={t('chartTitle')}>
        <line x1="0" y1={H} x2={W} y2={H} class="axis" />
        {hours.map((h) => {
          const n = timeline[h] ?? 0;
          const bh = Math.max(1, (n / max) * (H - 4));
          return (
            <rect key={h} data-hour={h} data-count={n} x={(h - first) * barW} y={H - bh} width={Math.max(1, barW - 1)} height={bh} class="bar">
              <title>{t('chartBar', [new Date(h * HOUR).toLocaleString(), String(n)])}</title>
            </rect>
          );
        })}
        <text x="0" y={H + 13} class="tick">{new Date(first * HOUR).toLocaleString()}</text>
        <text x={W} y={H + 13} text-anchor="end" class="tick">{new Date(last * HOUR).toLocaleString()}</text>
      </svg>
      <figcaption>{t('chartTitle')}</figcaption>
    </figure>
  );
}
