import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeHaproxyConfig, haproxyPath } from '../../scripts/lib/gateway';

const ROOT = join(__dirname, '..', '..');
/** What an operator must provide (compose has no defaults for them). */
const REQUIRED = { AUTH_SECRET: 'x'.repeat(40), STAFF_PASSWORD: 'an-operator-choice' };
const baseEnv = () => {
  const env = { ...process.env };
  for (const name of ['AUTH_SECRET', 'STAFF_PASSWORD', 'GATEWAY_BIND', 'METRICS_TOKEN']) delete env[name];
  return env;
};
const run = (cmd: string, args: string[], extra: Record<string, string> = REQUIRED) =>
  spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...baseEnv(), ...extra } });

describe('docker-compose.yml', () => {
  it('passes `docker-compose config -q`', () => {
    const res = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']);
    expect(res.error).toBeUndefined();
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('runs MongoDB, Redis, three server replicas, the notifier, the gateway and a mail catcher', () => {
    const res = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '--services']);
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n').sort()).toEqual([
      'gateway',
      'mail',
      'mongo',
      'notifier',
      'redis',
      'server-1',
      'server-2',
      'server-3',
    ]);
    const full = run('docker-compose', ['-f', 'docker-compose.yml', 'config']).stdout;
    expect(full).toMatch(/--maxmemory-policy[\s\S]*noeviction/);
    expect(full).toMatch(/--appendonly[\s\S]*yes/);
    expect(full).toMatch(/replicaSet=rs0/);
    expect(full).toMatch(/rs\.initiate/);
    // The nodes believe X-Forwarded-For from the gateway's fixed address only.
    expect(full).toMatch(/TRUSTED_PROXIES: 172\.28\.0\.10/);
    expect(full).toMatch(/ipv4_address: 172\.28\.0\.10/);
  });

  it.each(['AUTH_SECRET', 'STAFF_PASSWORD'])('refuses to run without %s (no published default)', (name) => {
    const env = { ...REQUIRED };
    delete env[name as keyof typeof REQUIRED];
    const res = run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], env);
    expect(res.status).not.toBe(0);
    // The message ends with the `:?` hint of the missing variable.
    expect(res.stderr.trim()).toMatch(new RegExp(`set ${name} [^\n]*$`));
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/demo-only-secret|staff-password/);
  });

  it('binds the gateway and the mail catcher to 127.0.0.1 unless told otherwise', () => {
    const local = run('docker-compose', ['-f', 'docker-compose.yml', 'config']).stdout;
    const published = [...local.matchAll(/- "?([0-9.]+):\d+:\d+/g)].map((m) => m[1]);
    expect(published.length).toBeGreaterThanOrEqual(2);
    expect(new Set(published)).toEqual(new Set(['127.0.0.1']));
    const open = run('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      ...REQUIRED,
      GATEWAY_BIND: '0.0.0.0',
    }).stdout;
    expect(open).toMatch(/- "?0\.0\.0\.0:8080:8080/);
  });

  it('gives the gateway the same configuration as the local one, and HAProxy accepts it', () => {
    expect(readFileSync(join(ROOT, 'deploy', 'haproxy.cfg'), 'utf8')).toBe(composeHaproxyConfig());
    const check = run(haproxyPath(), ['-c', '-q', '-f', join(ROOT, 'deploy', 'haproxy.cfg')]);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    // /metrics is denied at the gateway, and clients' addresses reach the nodes.
    expect(composeHaproxyConfig()).toMatch(/http-request deny deny_status 403 if \{ path_beg -i \/metrics \}/);
    expect(composeHaproxyConfig()).toMatch(/option forwardfor/);
  });
});
