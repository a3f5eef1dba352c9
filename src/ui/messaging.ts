// The one messaging facade extension pages use to talk to the background.
import browser from 'webextension-polyfill';
import type { PolicyView, SiteView, UiToBackground } from '../shared/messages';
import type { TallyDb } from '../background/tally';

export interface Messaging {
  send(msg: Extract<UiToBackground, { type: 'ui/site' | 'ui/tab-site' | 'ui/set-mode' }>): Promise<SiteView>;
  send(msg: Extract<UiToBackground, { type: 'ui/all' }>): Promise<TallyDb>;
  send(msg: Extract<UiToBackground, { type: 'ui/clear' | 'ui/flush' }>): Promise<boolean>;
  send(msg: Extract<UiToBackground, { type: 'ui/policy' }>): Promise<PolicyView>;
}

export const messaging: Messaging = {
  send: (msg: UiToBackground) => browser.runtime.sendMessage(msg) as Promise<never>,
};

export const t = (key: string, subs?: string | string[]): string => browser.i18n.getMessage(key, subs) || key;
