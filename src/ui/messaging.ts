// The one messaging facade extension pages use to talk to the background.
import { api as browser } from './api';
import type { PolicyView, SiteView, UiToBackground } from '../shared/messages';
import type { TallyDb } from '../background/tally';
import type { SettingsData } from '../shared/settings-file';

export interface Messaging {
  send(msg: Extract<UiToBackground, { type: 'ui/site' | 'ui/tab-site' | 'ui/set-mode' }>): Promise<SiteView>;
  send(msg: Extract<UiToBackground, { type: 'ui/all' }>): Promise<TallyDb>;
  send(msg: Extract<UiToBackground, { type: 'ui/clear' | 'ui/flush' }>): Promise<boolean>;
  send(msg: Extract<UiToBackground, { type: 'ui/policy' }>): Promise<PolicyView>;
  send(msg: Extract<UiToBackground, { type: 'ui/settings' | 'ui/import-settings' }>): Promise<SettingsData>;
}

export const messaging: Messaging = {
  send: (msg: UiToBackground) => browser.runtime.sendMessage(msg) as Promise<never>,
};

export type Translate = (key: string, subs?: string | string[]) => string;

/** Every visible string comes from _locales; a missing key shows itself, so it is noticed. */
export const t: Translate = (key, subs) => browser.i18n.getMessage(key, subs) || key;
