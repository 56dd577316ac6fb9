/**
 * Benchmark-only preload (`NODE_OPTIONS=--require …`, set by `BENCH_CPU_PROF=<dir>`): keeps the
 * V8 CPU profiler running in a server node and, on every SIGUSR2, writes what it recorded since
 * the last one to `<dir>/<NODE_ID>.<pid>.<n>.cpuprofile` and starts again. Plain CommonJS so it
 * loads before tsx. (`--cpu-prof` itself is not allowed in NODE_OPTIONS.)
 */
'use strict';
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROF_DIR;
// tsx runs the real program in a child with the same environment: profile only that one.
if (dir && process.argv.some((a) => a.endsWith('main.ts'))) {
  const session = new inspector.Session();
  session.connect();
  let n = 0;
  const start = () =>
    session.post('Profiler.enable', () =>
      session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
    );
  start();
  process.on('SIGUSR2', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err && res && res.profile) {
        n += 1;
        writeFileSync(
          join(dir, `${process.env.NODE_ID || 'node'}.${process.pid}.${n}.cpuprofile`),
          JSON.stringify(res.profile),
        );
      }
      start();
    });
  });
}
