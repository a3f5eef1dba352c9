// @ts-check
// Serves a folder on loopback under several hosts at once, so one folder
// holds a first-party site and its third parties: http://127.0.0.1:PORT,
// http://localhost:PORT and http://127.0.0.2:PORT are three different sites.
// Text files may name the others as {{FIRST}}, {{THIRD}} and {{OTHER}}.
// Requests are recorded so callers can look for exfiltrated data.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain',
};

/**
 * @typedef {object} Recorded
 * @property {string} method @property {string} host @property {string} url
 * @property {Record<string, string | string[] | undefined>} headers @property {string} body
 */

/**
 * @param {string} dir
 * @param {{ port?: number, maxRecorded?: number }} [opts]
 */
export async function serve(dir, opts = {}) {
  const base = resolve(dir);
  /** @type {Recorded[]} */
  const requests = [];
  const maxRecorded = opts.maxRecorded ?? 5000;
  let origins = { FIRST: '', THIRD: '', OTHER: '' };

  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    if (requests.length < maxRecorded) {
      requests.push({ method: req.method ?? 'GET', host: req.headers.host ?? '', url: req.url ?? '/', headers: req.headers, body });
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/collect')) {
      // A sink for beacons and exfiltration in fixtures.
      res.writeHead(204, { 'access-control-allow-origin': '*' });
      res.end();
      return;
    }
    let file = normalize(join(base, decodeURIComponent(url.pathname)));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(file))] ?? 'application/octet-stream';
      let data = await readFile(file);
      if (type.startsWith('text/') || type === 'application/json') {
        data = Buffer.from(data.toString('utf8').replace(/\{\{(FIRST|THIRD|OTHER)\}\}/g, (_, k) => origins[/** @type {'FIRST'} */ (k)]));
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
      res.end(data);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });

  const hosts = ['127.0.0.1', '127.0.0.2', '::1'];
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, hosts[0], () => ok(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // The same handler on the other loopback addresses, same port.
  /** @type {import("node:http").Server[]} */
  const extra = [];
  for (const host of hosts.slice(1)) {
    const s2 = createServer((req, res) => server.emit('request', req, res));
    const okListen = await new Promise((ok) => {
      s2.once('error', () => ok(false));
      s2.listen(port, host, () => ok(true));
    });
    if (okListen) extra.push(s2);
  }
  origins = { FIRST: `http://127.0.0.1:${port}`, THIRD: `http://localhost:${port}`, OTHER: `http://127.0.0.2:${port}` };
  return {
    port,
    ...origins,
    requests,
    close: () => Promise.all([server, ...extra].map((s) => new Promise((ok) => { s.closeAllConnections?.(); s.close(() => ok(undefined)); }))),
  };
}
