import { describe, expect, it } from 'vitest';
import {
  MAX_REPORTS_PER_MESSAGE, parseContentToBackground, parseGuardToRelay, parseReport, parseUiToBackground,
} from '../../src/shared/messages';

const good = {
  kind: 'key', api: 'addEventListener:keydown', origin: 'http://localhost:8080', party: 'third',
  decision: 'deny', target: 'global', count: 3,
};

describe('report validation', () => {
  it('accepts a well-formed report and copies only known fields', () => {
    const r = parseReport({ ...good, extra: 'dropped' }, 'r');
    expect(r).toEqual({ ok: true, value: good });
  });

  it.each([
    ['kind', 'keys', 'r.kind: expected one of key, tap, value, prototype'],
    ['party', 'fourth', 'r.party: expected one of first, third'],
    ['decision', 'maybe', 'r.decision: expected one of allow, deny'],
    ['target', 'everything', 'r.target: expected one of global, field, sensitive, element, own'],
    ['count', -1, 'r.count: expected a whole number from 0 to 1000000'],
    ['count', 1.5, 'r.count: expected a whole number from 0 to 1000000'],
    ['count', 0, 'r.count: must be at least 1'],
    ['origin', 'javascript:alert(1)', 'r.origin: not an origin'],
    ['origin', 'http://a b', 'r.origin: not an origin'],
    ['api', 'x'.repeat(81), 'r.api: longer than 80 characters'],
  ])('rejects a bad %s (%j) naming the field', (field, value, error) => {
    expect(parseReport({ ...good, [field]: value }, 'r')).toEqual({ ok: false, error });
  });

  it('accepts the pseudo-origins the guard uses', () => {
    for (const origin of ['inline', 'opaque', 'extension', 'https://cdn.example.co.uk', 'http://[::1]:8080']) {
      expect(parseReport({ ...good, origin }, 'r').ok).toBe(true);
    }
  });

  it('names the index of the bad report in a batch', () => {
    const r = parseContentToBackground({ type: 'frame/reports', reports: [good, { ...good, count: 'many' }] });
    expect(r).toEqual({ ok: false, error: 'reports[1].count: expected a whole number from 0 to 1000000' });
  });

  it('bounds the batch size', () => {
    const many = Array.from({ length: MAX_REPORTS_PER_MESSAGE + 1 }, () => good);
    expect(parseContentToBackground({ type: 'frame/reports', reports: many }).ok).toBe(false);
  });

  it('never throws on hostile shapes', () => {
    const hostile: unknown[] = [null, undefined, 42, 'str', [], { type: 'frame/reports' }, { type: 'frame/reports', reports: {} },
      { t: 'reports', reports: [null] }, Object.create(null), { type: { toString: () => 'frame/hello' } }];
    for (const h of hostile) {
      expect(() => parseContentToBackground(h)).not.toThrow();
      expect(() => parseGuardToRelay(h)).not.toThrow();
      expect(() => parseUiToBackground(h)).not.toThrow();
    }
    expect(parseContentToBackground({ type: { toString: () => 'frame/hello' } }).ok).toBe(false);
  });
});

describe('UI messages', () => {
  it('validates site names and modes', () => {
    expect(parseUiToBackground({ type: 'ui/set-mode', site: 'example.com', mode: 'monitor' }))
      .toEqual({ ok: true, value: { type: 'ui/set-mode', site: 'example.com', mode: 'monitor' } });
    expect(parseUiToBackground({ type: 'ui/set-mode', site: 'example.com', mode: 'disable' }))
      .toEqual({ ok: false, error: 'mode: expected one of protect, monitor, off' });
    expect(parseUiToBackground({ type: 'ui/site', site: '<script>' }))
      .toEqual({ ok: false, error: 'site: not a site name' });
    expect(parseUiToBackground({ type: 'ui/clear', site: null })).toEqual({ ok: true, value: { type: 'ui/clear', site: null } });
    expect(parseUiToBackground({ type: 'ui/nope' })).toEqual({ ok: false, error: 'message.type: unknown' });
  });
});
