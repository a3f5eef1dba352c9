import { render } from 'preact';
import browser from 'webextension-polyfill';
import { Popup } from './Popup';
import { messaging, t } from '../ui/messaging';
import type { SiteView } from '../shared/messages';

// `?site=` lets the dashboard (and automation) open the popup for any site;
// otherwise it shows the active tab, as the toolbar popup does.
const params = new URLSearchParams(location.search);
const named = params.get('site');

async function load(): Promise<SiteView> {
  if (named) return messaging.send({ type: 'ui/site', site: named });
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  if (tab?.id === undefined) throw new Error(t('noTab'));
  return messaging.send({ type: 'ui/tab-site', tabId: tab.id });
}

render(<Popup messaging={messaging} t={t} load={load} dashboardUrl={browser.runtime.getURL('dashboard.html')} />, document.getElementById('app')!);
