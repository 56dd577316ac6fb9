import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeHaproxyConfig, haproxyPath } from '../../scripts/lib/gateway';

const ROOT = join(__dirname, '..', '..');
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });

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
    expect(res.stdout.trim().split('\n').sort()).toEqual(['gateway', 'mail', 'mongo', 'notifier', 'redis', 'server-1', 'server-2', 'server-3']);
    const full = run('docker-compose', ['-f', 'docker-compose.yml', 'config']).stdout;
    expect(full).toMatch(/--maxmemory-policy[\s\S]*noeviction/);
    expect(full).toMatch(/--appendonly[\s\S]*yes/);
    expect(full).toMatch(/replicaSet=rs0/);
    expect(full).toMatch(/rs\.initiate/);
  });

  it('gives the gateway the same configuration as the local one, and HAProxy accepts it', () => {
    expect(readFileSync(join(ROOT, 'deploy', 'haproxy.cfg'), 'utf8')).toBe(composeHaproxyConfig());
    const check = run(haproxyPath(), ['-c', '-q', '-f', join(ROOT, 'deploy', 'haproxy.cfg')]);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
