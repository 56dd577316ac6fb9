/**
 * `tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]`: self time per function and per
 * package/file of a V8 CPU profile (as written with BENCH_CPU_PROF), to find the hot paths.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function area(url: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1]) return nm[1];
  if (url.startsWith('node:')) return url;
  const own = /\/(server|shared|scripts)\/(.+)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url || '(native/gc/idle)';
}

export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${area(url)}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const a =
      functionName === '(idle)'
        ? '(idle)'
        : functionName === '(garbage collector)'
          ? '(gc)'
          : functionName === '(program)'
            ? '(program)'
            : area(url);
    pkg.set(a, (pkg.get(a) ?? 0) + dt);
  });
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  return [
    `total ${(total / 1000).toFixed(0)} ms`,
    '-- by package/file (self time)',
    ...fmt(pkg),
    '-- by function (self time)',
    ...fmt(fn),
  ].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(
    `${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25))}\n`,
  );
}
