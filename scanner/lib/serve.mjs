// @ts-check
// Serves a folder on loopback under several hosts at once, so one folder
// holds a first-party site and its third parties: http://127.0.0.1:PORT,
// http://localhost:PORT and http://127.0.0.2:PORT are three different sites.
// Text files may name the others as {{FIRST}}, {{THIRD}} and {{OTHER}}.
// Requests are recorded so callers can look for exfiltrated data.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
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
 * `onRequest` sees every request as it arrives (the scanner matches canaries
 * live instead of keeping a log); `websocket: true` also accepts WebSocket
 * connections on any path and records each text frame as a request with
 * method `WS`, so fixtures can exfiltrate over a socket.
 * @param {{ port?: number, maxRecorded?: number, onRequest?: (r: Recorded) => void, websocket?: boolean }} [opts]
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
    const rec = { method: req.method ?? 'GET', host: req.headers.host ?? '', url: req.url ?? '/', headers: req.headers, body };
    if (requests.length < maxRecorded) requests.push(rec);
    opts.onRequest?.(rec);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/collect')) {
      // A sink for beacons and exfiltration in fixtures.
      res.writeHead(204, { 'access-control-allow-origin': '*' });
      res.end();
      return;
    }
    if (url.pathname === '/redirect') {
      // A 302 for fixtures, to one of the served origins only.
      const to = url.searchParams.get('to') ?? '/';
      const ok = to.startsWith('/') ? !to.startsWith('//') : Object.values(origins).some((o) => to.startsWith(`${o}/`));
      res.writeHead(ok ? 302 : 400, ok ? { location: to } : {});
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
  /** Upgraded sockets leave the HTTP server's books; close() ends them itself. */
  /** @type {Set<import('node:stream').Duplex>} */
  const sockets = new Set();
  if (opts.websocket) {
    for (const s of [server, ...extra]) {
      s.on('upgrade', (req, socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        acceptWebSocket(req, /** @type {import('node:net').Socket} */ (socket), (body) => {
          const rec = { method: 'WS', host: req.headers.host ?? '', url: req.url ?? '/', headers: req.headers, body };
          if (requests.length < maxRecorded) requests.push(rec);
          opts.onRequest?.(rec);
        });
      });
    }
  }
  origins = { FIRST: `http://127.0.0.1:${port}`, THIRD: `http://localhost:${port}`, OTHER: `http://127.0.0.2:${port}` };
  return {
    port,
    ...origins,
    requests,
    close: () => {
      for (const k of sockets) k.destroy();
      return Promise.all([server, ...extra].map((s) => new Promise((ok) => { s.closeAllConnections?.(); s.close(() => ok(undefined)); })));
    },
  };
}

/**
 * The smallest WebSocket server fixtures need (RFC 6455): the handshake, and
 * masked client frames decoded; text frames go to `onText`, pings are
 * answered, close ends the socket. No extensions, no fragmentation reassembly.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:net').Socket} socket
 * @param {(text: string) => void} onText
 */
function acceptWebSocket(req, socket, onText) {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let buf = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const opcode = (buf[0] ?? 0) & 0x0f;
      const masked = ((buf[1] ?? 0) & 0x80) !== 0;
      let len = (buf[1] ?? 0) & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (buf.length < at + len) return;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (buf[maskAt + (i % 4)] ?? 0);
      buf = buf.subarray(at + len);
      if (opcode === 0x1 || opcode === 0x2) onText(payload.toString('utf8'));
      else if (opcode === 0x9) socket.write(Buffer.concat([Buffer.from([0x8a, payload.length]), payload]));
      else if (opcode === 0x8) {
        socket.end(Buffer.from([0x88, 0]));
        return;
      }
    }
  });
}
