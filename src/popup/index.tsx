import { render } from 'preact';
import { api as browser } from '../ui/api';
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

// Ask the background first: the round trip is most of the time to first
// paint, so it overlaps with rendering the shell.
const initial = load();
render(<Popup messaging={messaging} t={t} initial={initial} dashboardUrl={browser.runtime.getURL('dashboard.html')} />, document.getElementById('app')!);
