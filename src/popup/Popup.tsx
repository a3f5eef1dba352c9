import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { SiteView } from '../shared/messages';
import type { HookKind, Mode, OriginTally } from '../shared/types';
import { MODES, HOOK_KINDS } from '../shared/types';
import { scoreSite } from '../shared/score';
import type { Messaging, Translate } from '../ui/messaging';
import { GradeBadge } from '../ui/GradeBadge';

/** Set when the grade is first in the DOM; the browser test reads it to check first paint. */
export const GRADE_SHOWN_MARK = 'untapped:grade-shown';

export interface PopupProps {
  messaging: Messaging;
  t: Translate;
  /** The view, already requested before rendering started (it is the slow part). */
  initial: Promise<SiteView>;
  dashboardUrl: string;
}

function sum(o: OriginTally, field: 'attempted' | 'blocked' | 'allowed'): number {
  let n = 0;
  for (const k of HOOK_KINDS) n += o.kinds[k]?.[field] ?? 0;
  return n;
}

export function Popup({ messaging, t, initial, dashboardUrl }: PopupProps) {
  const [view, setView] = useState<SiteView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    initial.then(setView, (e: unknown) => setError(String(e)));
  }, []);

  // Layout effect: runs once the grade is in the DOM, before the browser paints it.
  useLayoutEffect(() => {
    if (view && performance.getEntriesByName(GRADE_SHOWN_MARK).length === 0) performance.mark(GRADE_SHOWN_MARK);
  }, [view]);

  if (error) return <p role="alert">{error}</p>;
  if (!view) return <p aria-busy="true">{t('loading')}</p>;

  const score = scoreSite(view.tally);
  const origins = Object.entries(view.tally?.origins ?? {})
    .sort(([, a], [, b]) => (a.party === b.party ? sum(b, 'attempted') - sum(a, 'attempted') : a.party === 'third' ? -1 : 1));

  const setMode = (mode: Mode) => {
    messaging.send({ type: 'ui/set-mode', site: view.site, mode }).then(setView, (e: unknown) => setError(String(e)));
  };

  return (
    <main>
      <header>
        <h1 data-testid="site">{view.site || t('noSite')}</h1>
        <div class="grades">
          <GradeBadge figure={score.exposure} label={t('withoutUntapped')} testid="grade-exposure" t={t} />
          <GradeBadge figure={score.residual} label={t('withUntapped')} testid="grade" t={t} />
        </div>
      </header>
      <fieldset class="modes" disabled={view.locked} data-testid="modes">
        <legend>
          {t('protection')}
          {view.locked ? <span data-testid="locked"> 🔒 {t('lockedByAdmin')}</span> : null}
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
              <th scope="col">{t('sensitiveColumn')}</th>
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
                </td>
                <td data-field="sensitive">{o.sensitive}</td>
                <td data-field="blocked" class={sum(o, 'blocked') > 0 ? 'hit' : undefined}>{sum(o, 'blocked')}</td>
                <td data-field="allowed">{sum(o, 'allowed')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {score.firstPartyAttempts > 0 ? <p class="note" data-testid="first-party-note">{t('firstPartyNote', String(score.firstPartyAttempts))}</p> : null}
      <footer>
        <a href={dashboardUrl} target="_blank" data-testid="dashboard-link">{t('openDashboard')}</a>
      </footer>
    </main>
  );
}
