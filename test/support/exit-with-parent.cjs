/**
 * Required into every server process a test spawns (test/support/spawn.ts): the process kills
 * itself once its parent, the jest worker, is gone. A worker that jest ends with a signal runs no
 * exit handler, and a node or notifier in a process group of its own would otherwise live on.
 * Plain CommonJS so that both the compiled bundle and the TypeScript source (under tsx) load it.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
}, 500).unref();
