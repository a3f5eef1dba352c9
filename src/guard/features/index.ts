import type { Feature } from './registry';
import { ownership } from './ownership';
import { listeners } from './listeners';

/** Every hooked API family. Order matters only where one feature relies on another. */
export const FEATURES: readonly Feature[] = [ownership, listeners];
