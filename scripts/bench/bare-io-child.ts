/** Child-process entry of the bare Socket.IO baseline: prints `{"port":N}` once listening. */
import { startBareIo } from './bare-io';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  process.stderr.write('REDIS_URL is required\n');
  process.exit(2);
}
startBareIo({ redisUrl, prefix: process.env.BARE_PREFIX ?? 'bench-bare:' }).then(
  (bare) => {
    process.stdout.write(`${JSON.stringify({ port: bare.port })}\n`);
    const stop = () => void bare.close().finally(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  },
  (err: unknown) => {
    process.stderr.write(`bare io failed: ${String(err)}\n`);
    process.exit(1);
  },
);
