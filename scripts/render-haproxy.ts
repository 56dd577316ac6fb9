/** Writes deploy/haproxy.cfg, the compose gateway's configuration, from the same template as the local gateway. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeHaproxyConfig } from './lib/gateway';

writeFileSync(join(__dirname, '..', 'deploy', 'haproxy.cfg'), composeHaproxyConfig());
