import type { Feature } from './registry';
import { ownership } from './ownership';
import { listeners } from './listeners';
import { scripts } from './scripts';
import { handlerProps } from './handler-props';
import { inlineHandlers } from './inline-handlers';
import { tasks } from './tasks';
import { realms } from './realms';
import { stealth } from './stealth';
import { values } from './values';
import { eventData } from './event-data';
import { prototypes } from './prototypes';
import { timing } from './timing';
import { eventCounts } from './event-counts';
import { find } from './find';
import { formAttributes } from './form-attributes';
import { caret } from './caret';
import { shadow } from './shadow';
import { attributes } from './attributes';
import { markup } from './markup';
import { select } from './select';
import { selectors } from './selectors';
import { fieldScroll } from './field-scroll';

/** Every hooked API family. Order matters only where one feature relies on another. */
export const FEATURES: readonly Feature[] = [stealth, ownership, listeners, scripts, handlerProps, inlineHandlers, tasks, realms, values, fieldScroll, select, shadow, attributes, markup, selectors, eventData, timing, eventCounts, find, formAttributes, caret, prototypes];
