/**
 * The lint that `npm test` runs holds the lines it is there for: an import cycle anywhere is an
 * error (eslint-plugin-import-x, resolving TypeScript paths), and so is `console` in server code.
 * Checked on files written for the purpose, so the rules are seen to fire, not only to pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The rule ids ESLint reports for `files`, run as `npm run lint` runs it (its own process: the config is ESM). */
function ruleIds(files: string[]): string[] {
  const res = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', ...files],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (res.status !== 0 && res.status !== 1) throw new Error(`eslint failed (${res.status}): ${res.stderr}`);
  const results = JSON.parse(res.stdout) as Array<{ messages: Array<{ ruleId: string | null }> }>;
  return results.flatMap((r) => r.messages.map((m) => String(m.ruleId)));
}

describe('npm run lint', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reports an import cycle', () => {
    const dir = mkdtempSync(join(ROOT, 'scripts', 'test', 'lint-probe-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = (): number => b() + 1;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = (): number => a() - 1;\n");
    expect(ruleIds([join(dir, 'a.ts')])).toContain('import-x/no-cycle');
  });

  it('reports console in server code, and not in a script', () => {
    const code = "export function hello(): void {\n  console.log('hello');\n}\n";
    const server = mkdtempSync(join(ROOT, 'server', 'src', 'lint-probe-'));
    const script = mkdtempSync(join(ROOT, 'scripts', 'test', 'lint-probe-'));
    dirs.push(server, script);
    writeFileSync(join(server, 'hello.ts'), code);
    writeFileSync(join(script, 'hello.ts'), code);
    expect(ruleIds([join(server, 'hello.ts')])).toEqual(['no-console']);
    expect(ruleIds([join(script, 'hello.ts')])).toEqual([]);
  });
});
