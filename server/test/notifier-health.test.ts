/**
 * The notifier's health listener (HEALTH_PORT): a real notifier process answers GET /healthz with
 * 200 once ready and frees the port when SIGTERM stops it (exit 0); the listener itself answers
 * 503 while the stores do not answer, 404 to anything else, and lets go of a keep-alive
 * connection when it closes.
 */
import { Agent, request } from 'node:http';
import { freePort, portIsFree } from '../../scripts/lib/net';
import { listenHealth } from '../src/infra/health';
import { createLogger } from '../src/infra/logger';
import { spawnServerProcess } from '../../test/support/spawn';

/** GET over an explicit keep-alive agent, so an idle connection stays open after the answer. */
function get(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('notifier health', () => {
  it('a notifier started with HEALTH_PORT answers /healthz 200 once ready, and frees the port on SIGTERM with exit 0', async () => {
    const healthPort = await freePort();
    const notifier = await spawnServerProcess({ kind: 'notifier', env: { HEALTH_PORT: String(healthPort) } });
    // Ready (it logged "notifier ready"): the listener opens before that line.
    const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, nodeId: notifier.nodeId });
    expect((await fetch(`http://127.0.0.1:${healthPort}/metrics`)).status).toBe(404);

    notifier.signal('SIGTERM');
    expect(await notifier.exited).toEqual({ code: 0, signal: null });
    expect(await portIsFree(healthPort)).toBe(true);
  }, 90_000);

  it('answers 503 while the stores do not answer, and closes with a keep-alive connection open', async () => {
    let ok = true;
    const health = await listenHealth({
      port: 0,
      host: '127.0.0.1',
      nodeId: 'n-health',
      healthy: async () => ok,
      logger: createLogger({ level: 'silent', nodeId: 'n-health' }),
    });
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await get(health.port, '/healthz', agent)).toEqual({
        status: 200,
        body: JSON.stringify({ ok: true, nodeId: 'n-health' }),
      });
      ok = false;
      expect(await get(health.port, '/healthz?probe=1', agent)).toEqual({
        status: 503,
        body: JSON.stringify({ ok: false, nodeId: 'n-health' }),
      });
      expect((await get(health.port, '/', agent)).status).toBe(404);
      // The agent keeps its connection open; closing must not wait for it (nor its 5 s idle timeout).
      const closing = Date.now();
      await health.close();
      expect(Date.now() - closing).toBeLessThan(1000);
      expect(await portIsFree(health.port)).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
