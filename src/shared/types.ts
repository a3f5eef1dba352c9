// The vocabulary every part of Untapped shares. Kept free of runtime imports so
// the guard (which has a strict size budget) can import it at no cost.

/** What a site's protection does. */
export type Mode = 'protect' | 'monitor' | 'off';
export const MODES: readonly Mode[] = ['protect', 'monitor', 'off'];

/**
 * Families of hook the guard sees. Each report names one.
 * - key: keystroke/typing events (keydown, input, composition...)
 * - tap: pointer/mouse/touch taps (click, pointerdown...)
 * - value: reads of what was typed (value, selection, FormData...)
 * - prototype: attempts to redefine guarded properties on prototypes
 */
export type HookKind = 'key' | 'tap' | 'value' | 'prototype';
export const HOOK_KINDS: readonly HookKind[] = ['key', 'tap', 'value', 'prototype'];

/** Whose script made the call, relative to the frame's own site. */
export type Party = 'first' | 'third';

/** What the guard decided for a call (before the site's mode is applied). */
export type Decision = 'allow' | 'deny';

/**
 * What the hook was aimed at. `global` covers window/document/html/body;
 * `sensitive` is a password, card, one-time-code or email field.
 */
export type TargetClass = 'global' | 'field' | 'sensitive' | 'element' | 'own';
export const TARGET_CLASSES: readonly TargetClass[] = ['global', 'field', 'sensitive', 'element', 'own'];

/** One aggregated line of what the guard saw, as the guard sends it. */
export interface HookReport {
  kind: HookKind;
  /** The API and event type, e.g. `addEventListener:keydown`. */
  api: string;
  /** Origin of the calling script (`https://cdn.example`), or `inline`/`opaque`. */
  origin: string;
  party: Party;
  decision: Decision;
  target: TargetClass;
  count: number;
}

/** Per (origin, kind) counts kept by the background. */
export interface Counts {
  attempted: number;
  blocked: number;
  allowed: number;
}

export interface OriginTally {
  party: Party;
  kinds: Partial<Record<HookKind, Counts>>;
  /** Attempts aimed at sensitive fields. */
  sensitive: number;
  /** Of those, how many were let through (schema 2; the score's residual figure uses it). */
  sensitiveAllowed?: number;
  /** Distinct APIs (`addEventListener:keydown`...) with their attempt counts. */
  apis: Record<string, number>;
  firstSeen: number;
  lastSeen: number;
}

export interface SiteTally {
  site: string;
  origins: Record<string, OriginTally>;
  firstSeen: number;
  lastSeen: number;
  /** Attempts per hour bucket (epoch hours), for the dashboard chart. */
  timeline: Record<string, number>;
}
