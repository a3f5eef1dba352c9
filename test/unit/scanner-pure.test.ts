// The scanner's pure logic: arguments, shards, input lists, canaries and
// their encodings, the field classifier, verdicts, CSV and merge-safe reading.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, defaultConcurrency, parseMergeArgs, parseScanArgs, parseShard, resolveShard, shardItems } from '../../scanner/lib/cli-args.mjs';
import { parseTargets } from '../../scanner/lib/input.mjs';
import { base64Needles, canaryMatcher, makeCanaries, needlesFor, withLuhn } from '../../scanner/lib/canary.mjs';
import { classifyField, classifyForm, type FieldAttrs } from '../../scanner/lib/fields.mjs';
import { csvCell, readResults, verdictOf } from '../../scanner/lib/results.mjs';
import { inspectRequest } from '../../scanner/lib/visit.mjs';
import { formatDuration, progressLine } from '../../scanner/lib/progress.mjs';
import { useTempDirs } from '../helpers/temp-dirs';

const tempDir = useTempDirs();

describe('scan arguments', () => {
  it('has sensible defaults', () => {
    const o = parseScanArgs(['--out', 'r'], {}, 2);
    expect(o).toMatchObject({ out: 'r', list: null, browsers: ['chromium'], modes: ['monitor', 'protect'], concurrency: 1, timeoutMs: 60_000, shard: { index: 1, count: 1 }, limit: null });
    expect(defaultConcurrency(8)).toBe(4);
    expect(defaultConcurrency(1)).toBe(1);
  });
  it('reads every flag, in both spellings', () => {
    const o = parseScanArgs(['list.txt', '--out=r', '--browser', 'both', '--concurrency', '3', '--timeout=20', '--shard', '2/4', '--limit', '5', '--modes', 'protect', '--quiet'], {});
    expect(o).toMatchObject({ list: 'list.txt', browsers: ['chromium', 'firefox'], concurrency: 3, timeoutMs: 20_000, shard: { index: 2, count: 4 }, limit: 5, modes: ['protect'], quiet: true });
  });
  it.each([
    [['--out'], /--out needs a value/],
    [[], /--out DIR is required/],
    [['--out', 'r', '--browser', 'safari'], /--browser must be chromium, firefox or both/],
    [['--out', 'r', '--concurrency', '0'], /--concurrency must be at least 1/],
    [['--out', 'r', '--concurrency', 'two'], /--concurrency needs a whole number/],
    [['--out', 'r', '--frobnicate'], /unknown flag --frobnicate/],
    [['--out', 'r', '--out', 's'], /--out given twice/],
    [['--out', 'r', '--modes', 'monitor,off'], /--modes takes monitor and\/or protect/],
    [['--out', 'r', 'a.txt', 'b.txt'], /one URL list at most/],
    [['--out', 'r', '--shard', '0/4'], /K must be between 1 and N/],
    [['--out', 'r', '--shard', '5/4'], /K must be between 1 and N/],
    [['--out', 'r', '--shard', 'x'], /--shard must look like K\/N/],
    [['--out', 'r', '--quiet=yes'], /--quiet takes no value/],
  ])('rejects %j with a message naming the flag', (argv, msg) => {
    expect(() => parseScanArgs(argv, {})).toThrow(UsageError);
    expect(() => parseScanArgs(argv, {})).toThrow(msg);
  });
  it('parses merge', () => {
    expect(parseMergeArgs(['a', 'b', '--out', 'm'])).toEqual({ dirs: ['a', 'b'], out: 'm' });
    expect(() => parseMergeArgs(['a'])).toThrow(/--out DIR is required/);
    expect(() => parseMergeArgs(['--out', 'm'])).toThrow(/at least one result directory/);
    expect(() => parseMergeArgs(['a', '--out', 'm', '--x'])).toThrow(/unknown flag --x/);
  });
});

describe('shards', () => {
  it('takes --shard over the environment', () => {
    expect(resolveShard('3/5', undefined, { JOB_COMPLETION_INDEX: '0', UNTAPPED_SHARDS: '2' })).toEqual({ index: 3, count: 5 });
  });
  it('reads a Kubernetes Indexed Job (0-based index) with the total from --shards or UNTAPPED_SHARDS', () => {
    expect(resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '3', UNTAPPED_SHARDS: '4' })).toEqual({ index: 4, count: 4 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shards N or set UNTAPPED_SHARDS/);
    expect(() => resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '4' })).toThrow(/JOB_COMPLETION_INDEX: K must be between 1 and N/);
  });
  it('reads a Slurm array relative to its first task id', () => {
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 1, count: 8 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({ index: 8, count: 8 });
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '8' })).toThrow(/SLURM_ARRAY_TASK_ID needs a whole number/);
  });
  it('refuses --shards alone', () => {
    expect(() => resolveShard(undefined, 3, {})).toThrow(/--shards N is only used with/);
  });
  it('splits a list into disjoint, balanced shares that cover it', () => {
    const items = Array.from({ length: 103 }, (_, i) => i);
    const parts = [1, 2, 3, 4].map((k) => shardItems(items, parseShard(`${k}/4`)));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(items);
    expect(parts.map((p) => p.length)).toEqual([26, 26, 26, 25]);
  });
});

describe('input lists', () => {
  it('reads URLs, bare hosts, comments and blank lines, dropping duplicates', () => {
    const t = parseTargets('# sites\nhttps://a.example/path\n\nb.example   # trailing comment\nhttps://a.example/path\nhttp://127.0.0.1:8080/x\n');
    expect(t.map((x) => x.url)).toEqual(['https://a.example/path', 'https://b.example/', 'http://127.0.0.1:8080/x']);
    expect(t[1]).toMatchObject({ line: 4, rank: null });
  });
  it('reads a Tranco CSV with or without a header', () => {
    expect(parseTargets('1,google.com\r\n2,Example.org\r\n').map((x) => [x.rank, x.url])).toEqual([[1, 'https://google.com/'], [2, 'https://example.org/']]);
    expect(parseTargets('rank,domain\n1,a.example\n')).toHaveLength(1);
  });
  it('names every bad line', () => {
    expect(() => parseTargets('1,a.example\n2,b.example,extra\nx,c.example\n4,not a domain\n', 'top.csv')).toThrow(
      /3 bad line\(s\) in top\.csv:\ntop\.csv:2: expected "rank,domain", got 3 columns\ntop\.csv:3: rank must be a whole number, got "x"\ntop\.csv:4: not a domain/);
    expect(() => parseTargets('https://ok.example/\nftp://files.example/\nhttp://[bad\n', 'urls.txt')).toThrow(
      /urls\.txt:2: only http and https URLs can be scanned, got ftp:\nurls\.txt:3: not a URL/);
    expect(() => parseTargets('# nothing\n\n', 'empty.txt')).toThrow(/empty\.txt lists no sites/);
  });
});

describe('canaries', () => {
  it('are unique per seed, stable for one seed, and look like what the fields expect', () => {
    const a = makeCanaries('run|https://a/|chromium|monitor');
    expect(makeCanaries('run|https://a/|chromium|monitor')).toEqual(a);
    const b = makeCanaries('run|https://a/|chromium|protect');
    for (const k of ['email', 'password', 'card', 'search'] as const) expect(a[k]).not.toBe(b[k]);
    expect(a.email).toMatch(/^u[0-9a-f]{10}@canary\.example$/);
    expect(a.card).toMatch(/^4\d{15}$/);
    expect(withLuhn('7992739871')).toBe('79927398713');
    // Luhn-valid: the whole number checks out.
    expect(withLuhn(a.card.slice(0, 15))).toBe(a.card);
  });
  it('finds base64 of the value at any byte alignment inside a larger payload', () => {
    const v = 'u0123456789@canary.example';
    for (const prefix of ['', 'x', 'xy', '{"typed":"', 'ab:']) {
      const blob = Buffer.from(`${prefix}${v}","more":1}`).toString('base64');
      expect(base64Needles(v).some((n) => blob.includes(n)), prefix).toBe(true);
      const urlSafe = blob.replace(/\+/g, '-').replace(/\//g, '_');
      expect(base64Needles(v).some((n) => urlSafe.includes(n)), `url-safe ${prefix}`).toBe(true);
    }
    expect(base64Needles('u0123456789@canary.example').some((n) => Buffer.from('something else entirely, long enough').toString('base64').includes(n))).toBe(false);
  });
  it('recognises plain, URL-encoded, base64, md5, sha1 and sha256 forms and nothing else', () => {
    const c = makeCanaries('seed');
    const match = canaryMatcher(c);
    const h = (alg: string, v: string) => createHash(alg).update(v).digest('hex');
    const found = (text: string) => match(text).map((x) => `${x.kind}:${x.encoding}`);
    expect(found(`{"e":"${c.email}"}`)).toContain('email:plain');
    expect(found(`e=${encodeURIComponent(c.email)}`)).toEqual(['email:urlencoded']);
    expect(found(`q=${encodeURIComponent(c.search).replace(/%20/g, '+')}`)).toEqual(['search:urlencoded']);
    expect(found(`d=${btoa(JSON.stringify({ p: c.password }))}`)).toEqual(['password:base64']);
    expect(found(`m=${h('md5', c.email)}`)).toEqual(['email:md5']);
    expect(found(`s=${h('sha1', c.email).toUpperCase()}`)).toEqual(['email:sha1']);
    expect(found(`x=${h('sha256', ` ${c.email.toUpperCase()} `.trim().toLowerCase())}`)).toEqual(['email:sha256']);
    expect(found(`cc=${c.card}`)).toContain('card:plain');
    expect(found('nothing to see here, ' + h('sha256', 'someone@else.example'))).toEqual([]);
    expect(needlesFor(c.email).map((n) => n.encoding)).toEqual(expect.arrayContaining(['plain', 'urlencoded', 'base64', 'md5', 'sha1', 'sha256']));
  });
  it('inspects URL, decoded URL, headers and body, and tells third parties from first', () => {
    const c = makeCanaries('seed2');
    const match = canaryMatcher(c);
    const hits = inspectRequest(match, {
      url: `http://localhost:9/px?e=${encodeURIComponent(c.email)}`, headers: { 'x-id': btoa(c.password), 'user-agent': c.email },
      body: `card=${c.card}`, channel: 'image', source: 'browser', host: 'localhost:9',
    }, '127.0.0.1');
    expect(hits.map((x) => `${x.canary}:${x.encoding}:${x.where}`).sort()).toEqual(['card:plain:body', 'email:plain:url', 'email:urlencoded:url', 'password:base64:header']);
    expect(hits.every((x) => x.thirdParty)).toBe(true);
    const own = inspectRequest(match, { url: `http://127.0.0.1:9/collect?e=${c.email}`, headers: {}, body: undefined, channel: 'ping', source: 'server-log', host: '127.0.0.1:9' }, '127.0.0.1');
    expect(own).toHaveLength(1);
    expect(own[0]!.thirdParty).toBe(false);
    expect(inspectRequest(match, { url: 'http://a.shop.example/x', headers: {}, body: c.email, channel: 'fetch', source: 'browser', host: 'cdn.shop.example' }, 'shop.example')[0]!.thirdParty).toBe(false);
  });
});

const field = (f: Partial<FieldAttrs>): FieldAttrs => ({ tag: 'input', type: '', name: '', id: '', placeholder: '', autocomplete: '', ariaLabel: '', label: '', ...f });

describe('field classifier', () => {
  it.each<[Partial<FieldAttrs>, string]>([
    [{ type: 'password' }, 'password'],
    [{ type: 'text', autocomplete: 'new-password' }, 'password'],
    [{ name: 'secret', ariaLabel: 'Passwort' }, 'password'],
    [{ label: 'Mot de passe' }, 'password'],
    [{ label: 'Contraseña' }, 'password'],
    [{ type: 'email' }, 'email'],
    [{ autocomplete: 'section-x email' }, 'email'],
    [{ name: 'login_id', placeholder: 'Your e-mail' }, 'email'],
    [{ label: 'Adresse courriel' }, 'email'],
    [{ autocomplete: 'username', name: 'u' }, 'email'],
    [{ name: 'ccnum', inputmode: 'numeric', label: 'Card number' }, 'card'],
    [{ autocomplete: 'cc-number' }, 'card'],
    [{ id: 'cardNumber' }, 'card'],
    [{ placeholder: 'Número de tarjeta' }, 'card'],
    [{ type: 'search' }, 'search'],
    [{ role: 'searchbox' }, 'search'],
    [{ name: 'q' }, 'search'],
    [{ placeholder: 'Search products' }, 'search'],
    [{ name: 'x', formText: 'role=search /find' }, 'search'],
    [{ name: 'fullname', label: 'Full name' }, 'other'],
    [{ placeholder: 'Chat with us' }, 'other'],
    [{ name: 'passport_no', label: 'Passport number' }, 'other'],
    [{ type: 'hidden', name: 'password' }, 'skip'],
    [{ type: 'checkbox', name: 'remember_password' }, 'skip'],
    [{ type: 'submit' }, 'skip'],
    [{ tag: 'select', name: 'email' }, 'skip'],
    [{ tag: 'textarea', label: 'Email body' }, 'email'],
  ])('%j is %s', (f, kind) => {
    expect(classifyField(field(f))).toBe(kind);
  });
  it('names forms by what they hold', () => {
    expect(classifyForm(['email', 'password'])).toBe('login');
    expect(classifyForm(['other', 'email', 'password', 'password'])).toBe('signup');
    expect(classifyForm(['email', 'password'], 'Create account')).toBe('signup');
    expect(classifyForm(['email', 'card', 'other'])).toBe('checkout');
    expect(classifyForm(['search'])).toBe('search');
    expect(classifyForm(['email'], 'Sign in')).toBe('login');
    expect(classifyForm(['other'])).toBe('other');
  });
});

type Modes = Parameters<typeof verdictOf>[0];
const mode = (m: 'monitor' | 'protect', origins: object[], exfil: object[]) => ({ mode: m, status: 'ok', error: null, finalUrl: null, loadMs: 0, fields: [], tally: null, requests: 0, hiddenBodies: 0, origins, exfil });
const third = (blocked: number, attempted = 1) => ({ origin: 'http://t.example', party: 'third', kinds: { key: { attempted, blocked, allowed: attempted - blocked } }, sensitive: 0, apis: [] });
const leak = { canary: 'email', encoding: 'plain', where: 'body', channel: 'fetch', host: 't.example', thirdParty: true, source: 'browser', url: 'x' };

describe('verdicts', () => {
  it('counts only hooks the guard denied when protect mode ran (a widget on its own input is not surveillance)', () => {
    expect(verdictOf({ monitor: mode('monitor', [third(0)], []), protect: mode('protect', [third(0)], []) } as unknown as Modes)).toMatchObject({ hooks: false, surveillance: false });
    expect(verdictOf({ monitor: mode('monitor', [third(0)], []), protect: mode('protect', [third(1)], []) } as unknown as Modes)).toMatchObject({ hooks: true, surveillance: true, thirdPartyOrigins: ['http://t.example'] });
  });
  it('treats exfiltration as surveillance and says whether protection stopped it', () => {
    const v = verdictOf({ monitor: mode('monitor', [], [leak]), protect: mode('protect', [], []) } as unknown as Modes);
    expect(v).toMatchObject({ hooks: false, exfiltration: true, surveillance: true, exfiltrationProtected: false, protectStopsExfiltration: true, exfilHosts: ['t.example'] });
    const w = verdictOf({ monitor: mode('monitor', [], [leak]), protect: mode('protect', [], [leak]) } as unknown as Modes);
    expect(w.protectStopsExfiltration).toBe(false);
    expect(verdictOf({ monitor: mode('monitor', [], [{ ...leak, thirdParty: false }]) } as unknown as Modes)).toMatchObject({ exfiltration: false, exfiltrationProtected: null, protectStopsExfiltration: null });
  });
});

describe('output helpers', () => {
  it('quotes CSV cells and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });
  it('draws a progress line with rate and ETA', () => {
    expect(progressLine({ done: 5, total: 20, errors: 1, elapsedMs: 60_000 }, 10)).toBe('[###.......] 5/20 25% 5.0 sites/min, 1 failed, ETA 3m00s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });
  it('reads results.jsonl past bad lines and repairs a torn last line', async () => {
    const dir = tempDir('untapped-results-');
    const f = join(dir, 'results.jsonl');
    const rec = (k: string) => JSON.stringify({ schemaVersion: 1, key: k, status: 'ok' });
    writeFileSync(f, `${rec('a')}\nnot json\n{"x":1}\n${JSON.stringify({ schemaVersion: 99, key: 'z' })}\n${rec('b')}\n{"schemaVersion":1,"key":"c","sta`);
    const keys: string[] = [];
    const warnings: string[] = [];
    const r = await readResults(f, (x) => keys.push(x.key), { repair: true, warn: (m) => warnings.push(m) });
    expect(keys).toEqual(['a', 'b']);
    expect(r).toEqual({ records: 2, bad: 3 });
    expect(warnings.join('\n')).toMatch(/cut off mid-write[\s\S]*:2: not JSON[\s\S]*:3: not a scan record[\s\S]*:4: schemaVersion 99 is newer/);
    expect(readFileSync(f, 'utf8').endsWith(`${rec('b')}\n`)).toBe(true);
  });
});
