// Raw HTTP/1.1 over node:net, for tests that need exact control of the bytes on the wire
// (pipelining, malformed requests, slow clients, connection reuse, graceful shutdown).

import net from 'node:net';

/**
 * Tries to parse one HTTP response at the start of `buf`.
 * Returns { response, rest } when a complete response is there, null when more bytes are
 * needed. With `closed` true, a response without a length ends at the end of the data.
 * response: { statusLine, status, headers (lower-case names; repeated ones joined by ', '),
 *             rawHeaders: [[name, value]...], body: Buffer, text }
 */
export function parseResponse(buf, { closed = false, head = false } = {}) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const headText = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...lines] = headText.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`);
  const status = Number(m[1]);
  const headers = {};
  const rawHeaders = [];
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) throw new Error(`malformed response header line: ${JSON.stringify(line)}`);
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    rawHeaders.push([name, value]);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let offset = end + 4;
  let body;
  const noBody = head || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (noBody) {
    body = Buffer.alloc(0);
  } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', offset);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16);
      if (Number.isNaN(size)) throw new Error('malformed chunk size');
      offset = lineEnd + 2;
      if (size === 0) {
        // trailers end with an empty line
        const trailerEnd = buf.indexOf('\r\n', offset);
        if (trailerEnd < 0) return null;
        if (trailerEnd === offset) { offset += 2; break; }
        const allEnd = buf.indexOf('\r\n\r\n', offset);
        if (allEnd < 0) return null;
        offset = allEnd + 4;
        break;
      }
      if (buf.length < offset + size + 2) return null;
      parts.push(buf.subarray(offset, offset + size));
      offset += size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const len = Number(headers['content-length']);
    if (!Number.isInteger(len) || len < 0) throw new Error(`bad content-length ${headers['content-length']}`);
    if (buf.length < offset + len) return null;
    body = buf.subarray(offset, offset + len);
    offset += len;
  } else {
    if (!closed) return null;
    body = buf.subarray(offset);
    offset = buf.length;
  }
  const response = { statusLine, status, headers, rawHeaders, body, text: body.toString('utf8') };
  return { response, rest: buf.subarray(offset) };
}

/**
 * Opens a raw connection. The returned object accumulates everything received.
 *   send(data)                 write bytes (string or Buffer); resolves when flushed
 *   readResponse({timeoutMs, head}) next complete response (consumes it)
 *   readResponses(n, opts)     the next n responses, in order
 *   waitClosed(timeoutMs)      resolves true when the peer closed, false on timeout
 *   state: { closed, error, bytes }   error is e.g. ECONNRESET if the peer reset
 */
export async function connect(port, host = '127.0.0.1') {
  const socket = net.connect({ port, host });
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  const state = { closed: false, error: null, bytes: 0 };
  const waiters = new Set();
  const notify = () => { for (const w of [...waiters]) w(); };
  socket.on('data', (d) => {
    buffer = Buffer.concat([buffer, d]);
    state.bytes += d.length;
    notify();
  });
  socket.on('error', (err) => { state.error = err; notify(); });
  socket.on('close', () => { state.closed = true; notify(); });
  socket.on('end', () => { notify(); });

  const wait = (check, timeoutMs, what) => new Promise((resolve, reject) => {
    let timer;
    const attempt = () => {
      let r;
      try {
        r = check();
      } catch (err) {
        waiters.delete(attempt);
        clearTimeout(timer);
        reject(err);
        return;
      }
      if (r !== undefined) {
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(r);
      }
    };
    timer = setTimeout(() => {
      waiters.delete(attempt);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received so far: ${JSON.stringify(buffer.toString('latin1').slice(0, 500))}`));
    }, timeoutMs);
    waiters.add(attempt);
    attempt();
  });

  const conn = {
    socket,
    state,
    get buffer() { return buffer; },
    send(data) {
      return new Promise((resolve, reject) => {
        socket.write(data, (err) => (err ? reject(err) : resolve()));
      });
    },
    readResponse({ timeoutMs = 5000, head = false } = {}) {
      return wait(() => {
        const parsed = parseResponse(buffer, { closed: state.closed, head });
        if (parsed) {
          buffer = Buffer.from(parsed.rest);
          return parsed.response;
        }
        if (state.closed || state.error) {
          const why = state.error ? state.error.code || state.error.message : 'closed';
          throw Object.assign(
            new Error(`connection ${why} before a complete response; received: ${JSON.stringify(buffer.toString('latin1').slice(0, 500))}`),
            { partial: buffer.length > 0, code: state.error?.code || 'CLOSED' },
          );
        }
        return undefined;
      }, timeoutMs, 'a complete response');
    },
    async readResponses(n, opts) {
      const out = [];
      for (let i = 0; i < n; i += 1) out.push(await conn.readResponse(opts));
      return out;
    },
    waitClosed(timeoutMs = 5000) {
      return wait(() => (state.closed ? true : undefined), timeoutMs, 'the connection to close')
        .catch(() => false);
    },
    close() {
      socket.destroy();
    },
  };
  return conn;
}

/** Builds the bytes of a request. `body` may be a string, Buffer or object (sent as JSON). */
export function rawRequest(method, target, { headers = {}, body, host = 'localhost' } = {}) {
  let payload = body;
  const h = { host, ...headers };
  if (payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    payload = JSON.stringify(payload);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
  }
  if (payload !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) {
    h['content-length'] = String(Buffer.byteLength(payload));
  }
  const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return payload === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(payload)]);
}
