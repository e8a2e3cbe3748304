/**
 * A flood of requests from one API key, run as its own process so that its work does not sit
 * in the event loop of the test that measures the server. Loopback only; bounded by time and
 * count; prints one JSON line with the answers it got.
 *
 * usage: tsx flood-client.ts URL KEY SECONDS CONNECTIONS [SUBJECT_TOKEN [JSON_BODY]]
 * (with a body the requests are POSTs)
 */
import { Agent, request } from 'node:http';

const [url, key, seconds, connections, token, body] = process.argv.slice(2);
if (!url || !key || !seconds || !connections) throw new Error('usage: URL KEY SECONDS CONNECTIONS [TOKEN]');
const target = new URL(url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('loopback only');

const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const deadline = performance.now() + Number(seconds) * 1000;
const MAX_REQUESTS = 200_000;
const statuses: Record<string, number> = {};
let sent = 0;
let missingRetryAfter = 0;

const headers: Record<string, string> = { authorization: `Bearer ${key}` };
if (token) headers['x-vitrine-subject'] = token;
if (body) headers['content-type'] = 'application/json';

function once(): Promise<void> {
  return new Promise((resolve) => {
    const req = request(target, { agent, headers, method: body ? 'POST' : 'GET' }, (res) => {
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
      if (res.statusCode === 429 && res.headers['retry-after'] === undefined) missingRetryAfter++;
      res.resume();
      res.on('end', resolve);
      res.on('error', resolve);
    });
    req.on('error', () => {
      statuses.error = (statuses.error ?? 0) + 1;
      resolve();
    });
    req.end(body);
  });
}

async function worker(): Promise<void> {
  while (performance.now() < deadline && sent < MAX_REQUESTS) {
    sent++;
    await once();
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, worker));
const elapsed = (performance.now() - t0) / 1000;
agent.destroy();
console.log(JSON.stringify({ sent, perSecond: Math.round(sent / elapsed), statuses, missingRetryAfter }));
