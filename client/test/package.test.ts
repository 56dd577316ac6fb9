/**
 * `@booking/client` is ready to publish: its build compiles to dist/, `npm pack --dry-run` lists
 * the compiled entry with its types and the README, the entry loads from dist with its runtime
 * exports, and the README's example compiles against the built types (as a user would see them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLIENT = join(__dirname, '..');
const ROOT = join(CLIENT, '..');
const pkg = JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  exports: Record<string, { types: string; default: string }>;
};

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '-w', '@booking/client'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

describe('@booking/client package', () => {
  it('packs its compiled entry, its types and its README', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: CLIENT,
      encoding: 'utf8',
    });
    const [packed] = JSON.parse(out) as Array<{ name: string; files: Array<{ path: string }> }>;
    expect(packed?.name).toBe('@booking/client');
    const files = (packed?.files ?? []).map((f) => f.path);
    const entries = ['.', './zod-jitless'].map((key) => pkg.exports[key]);
    const entryFiles = entries.flatMap((entry) => (entry ? [entry.default, entry.types] : ['missing export']));
    for (const file of ['README.md', 'package.json', ...entryFiles, pkg.main, pkg.types].map((f) =>
      f.replace(/^\.\//, ''),
    ))
      expect(files).toContain(file);
    // The client's own modules, and the declarations of the protocol it is typed by (from shared).
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/client/src/command.d.ts',
        'dist/client/src/http.d.ts',
        'dist/shared/src/errors.d.ts',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // `@booking/shared` is a private workspace: nothing published may import it by name.
    const byName = files
      .filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))
      .filter((f) => /['"]@booking\/shared['"]/.test(readFileSync(join(CLIENT, f), 'utf8')));
    expect(byName).toEqual([]);
  });

  it('loads from dist with its functions and error codes', () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        `const c = require(${JSON.stringify(join(CLIENT, pkg.main))});` +
          ' console.log(JSON.stringify([typeof c.createCommander, typeof c.signIn, typeof c.createCalendarFeed, c.ErrorCode.SLOT_TAKEN]))',
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual(['function', 'function', 'function', 'SLOT_TAKEN']);
  });

  it("the README's example compiles against the published types", () => {
    const readme = readFileSync(join(CLIENT, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!example) throw new Error('no ts example in the README');
    // Ten lines of work, plus the imports and the function around them.
    expect(example.trim().split('\n').length).toBeLessThanOrEqual(18);
    const dir = mkdtempSync(join(CLIENT, '.example-'));
    try {
      writeFileSync(join(dir, 'example.ts'), example);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node10',
            ignoreDeprecations: '5.0',
            lib: ['ES2023', 'DOM'],
            types: [],
            skipLibCheck: true,
            // As installed from the registry: the package's own types, not the workspace source.
            paths: { '@booking/client': [join(CLIENT, pkg.types)] },
          },
          files: ['example.ts'],
        }),
      );
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
      // And a broken use of the same types fails, so the compile above can fail.
      writeFileSync(
        join(dir, 'example.ts'),
        `${example}\nexport const wrong: typeof import('@booking/client').ErrorCode.SLOT_TAKEN = 'TAKEN';\n`,
      );
      expect(() =>
        execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
          stdio: 'pipe',
        }),
      ).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
