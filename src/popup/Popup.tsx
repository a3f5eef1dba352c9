import { useEffect, useState } from 'preact/hooks';
import type { SiteView } from '../shared/messages';
import type { HookKind, Mode, OriginTally } from '../shared/types';
import { MODES, HOOK_KINDS } from '../shared/types';
import type { Messaging } from '../ui/messaging';

export interface PopupProps {
  messaging: Messaging;
  t: (key: string) => string;
  /** Where the view comes from: the active tab, or a site named in the URL. */
  load: () => Promise<SiteView>;
  dashboardUrl: string;
}

function sum(o: OriginTally, field: 'attempted' | 'blocked' | 'allowed'): number {
  let n = 0;
  for (const k of HOOK_KINDS) n += o.kinds[k]?.[field] ?? 0;
  return n;
}

export function Popup({ messaging, t, load, dashboardUrl }: PopupProps) {
  const [view, setView] = useState<SiteView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    load().then(setView, (e: unknown) => setError(String(e)));
  }, []);

  if (error) return <p role="alert">{error}</p>;
  if (!view) return <p aria-busy="true">{t('loading')}</p>;

  const origins = Object.entries(view.tally?.origins ?? {})
    .sort(([, a], [, b]) => (a.party === b.party ? sum(b, 'attempted') - sum(a, 'attempted') : a.party === 'third' ? -1 : 1));

  const setMode = (mode: Mode) => {
    messaging.send({ type: 'ui/set-mode', site: view.site, mode }).then(setView, (e: unknown) => setError(String(e)));
  };

  return (
    <main>
      <header>
        <h1 data-testid="site">{view.site || t('noSite')}</h1>
      </header>
      <fieldset class="modes" disabled={view.locked}>
        <legend>{t('protection')}{view.locked ? ` 🔒 ${t('lockedByAdmin')}` : ''}
          {!view.locked && (view.source === 'policy-rule' || view.source === 'policy-default')
            ? <span data-testid="admin-default"> {t('adminDefault')}</span> : null}
        </legend>
        {MODES.map((m) => (
          <label key={m}>
            <input type="radio" name="mode" value={m} checked={view.mode === m} onChange={() => setMode(m)} />
            {t(`mode_${m}`)}
          </label>
        ))}
      </fieldset>
      {view.refused ? <p role="alert" data-testid="refused">{t('refusedLocked')}</p> : null}
      {origins.length === 0 ? (
        <p data-testid="empty">{t('nothingSeen')}</p>
      ) : (
        <table data-testid="origins">
          <thead>
            <tr>
              <th scope="col">{t('scriptOrigin')}</th>
              <th scope="col">{t('tried')}</th>
              <th scope="col">{t('blocked')}</th>
              <th scope="col">{t('allowed')}</th>
            </tr>
          </thead>
          <tbody>
            {origins.map(([origin, o]) => (
              <tr key={origin} data-origin={origin} data-party={o.party}>
                <th scope="row">
                  {origin}
                  <small>{o.party === 'third' ? t('thirdParty') : t('firstParty')}</small>
                </th>
                <td data-field="tried">
                  {(Object.keys(o.kinds) as HookKind[]).map((k) => `${t(`kind_${k}`)} ${o.kinds[k]?.attempted ?? 0}`).join(', ')}
                  {o.sensitive > 0 ? <small> · {t('sensitiveFields')} {o.sensitive}</small> : null}
                </td>
                <td data-field="blocked">{sum(o, 'blocked')}</td>
                <td data-field="allowed">{sum(o, 'allowed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <footer>
        <a href={dashboardUrl} target="_blank">{t('openDashboard')}</a>
      </footer>
    </main>
  );
}
