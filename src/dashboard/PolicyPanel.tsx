// Administrator policy as the dashboard shows it (issue 5): what the admin
// set, read-only, and every ignored value with the key that was wrong.
// Rendered by Dashboard.tsx; messaging and t default to the page's own so the
// dashboard can render it without props.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { PolicyView } from '../shared/messages';
import { messaging as pageMessaging, t as pageT, type Messaging } from '../ui/messaging';

type Translate = (key: string, subs?: string | string[]) => string;

export interface PolicyPanelProps {
  messaging?: Messaging;
  t?: Translate;
  /** Calls `fn` whenever the managed policy changes; returns an unsubscribe. */
  onPolicyChange?: (fn: () => void) => () => void;
}

// Chrome and Edge reload policy while running; show the change without a reload.
const onManagedChange = (fn: () => void): (() => void) => {
  const listener = (_changes: unknown, area: string): void => { if (area === 'managed') fn(); };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
};

export function PolicyPanel({ messaging = pageMessaging, t = pageT, onPolicyChange = onManagedChange }: PolicyPanelProps) {
  const [view, setView] = useState<PolicyView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = (): void => {
      messaging.send({ type: 'ui/policy' }).then((v) => { setView(v); setError(null); }, (e: unknown) => setError(String(e)));
    };
    load();
    return onPolicyChange(load);
  }, []);

  if (error) return <section data-testid="policy"><p role="alert" class="error">{error}</p></section>;
  if (!view) return null;
  const { policy, warnings } = view;

  return (
    <section data-testid="policy" data-present={String(view.present)} aria-labelledby="policy-title">
      <h2 id="policy-title">{t('policyTitle')}</h2>
      {warnings.length > 0 ? (
        <div role="alert" data-testid="policy-warnings">
          <p class="error">{t('policyWarnings')}</p>
          <ul>
            {warnings.map((w, i) => (
              <li key={i} data-key={w.key}><code>{w.key}</code>: {w.message.slice(w.key.length + 2)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {!view.present ? <p data-testid="no-policy">{t('policyNone')}</p> : (
        <dl class="policy">
          {policy.defaultMode ? (
            <>
              <dt>{t('policyDefaultMode')}</dt>
              <dd data-testid="policy-default-mode">🔒 {t(`mode_${policy.defaultMode}`)}</dd>
            </>
          ) : null}
          {policy.lockAllSettings ? (
            <>
              <dt>{t('policyLockAll')}</dt>
              <dd data-testid="policy-lock-all">🔒 {t('policyLockAllOn')}</dd>
            </>
          ) : null}
          {policy.sites.length > 0 ? (
            <>
              <dt>{t('policySites')}</dt>
              <dd>
                <table data-testid="policy-sites">
                  <tbody>
                    {policy.sites.map((r) => (
                      <tr key={r.pattern} data-pattern={r.pattern} data-locked={String(r.locked)}>
                        <th scope="row"><code>{r.pattern}</code></th>
                        <td>{t(`mode_${r.mode}`)}</td>
                        <td>{r.locked ? `🔒 ${t('policyLocked')}` : t('policyUserMayChange')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </dd>
            </>
          ) : null}
          {policy.sensitiveSelectors.length > 0 ? (
            <>
              <dt>{t('policySelectors')}</dt>
              <dd data-testid="policy-selectors">{policy.sensitiveSelectors.map((s) => <code key={s}>{s} </code>)}</dd>
            </>
          ) : null}
          {policy.trustedOrigins.length > 0 ? (
            <>
              <dt>{t('policyTrusted')}</dt>
              <dd data-testid="policy-trusted">{policy.trustedOrigins.map((o) => <code key={o}>{o} </code>)}</dd>
            </>
          ) : null}
          {policy.reporting ? (
            <>
              <dt>{t('policyReporting')}</dt>
              <dd data-testid="policy-reporting">
                <code>{policy.reporting.endpoint}</code> · {t('policyReportingEvery', String(policy.reporting.intervalSeconds))}
              </dd>
            </>
          ) : null}
        </dl>
      )}
    </section>
  );
}
