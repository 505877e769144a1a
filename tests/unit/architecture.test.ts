import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const server = path.resolve(import.meta.dirname, '../../server');
const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
const rel = (f: string) => path.relative(server, f).split(path.sep).join('/');
const read = (f: string) => fs.readFileSync(f, 'utf8');
/** The modules a file imports for their values (`import type` is only a name, not a dependency at run time). */
const valueImports = (f: string) => [...read(f).matchAll(/^import (?!type )[^;]*?from '([^']+)'/gms)].map((m) => m[1]);
/** An import as a path below server/ (without the .js ending), or the package name. */
const target = (from: string, spec: string) => (spec.startsWith('.') ? rel(path.resolve(path.dirname(from), spec)).replace(/\.js$/, '') : spec);
const routeFiles = files(path.join(server, 'routes'));
/** A route module builds an Express router; helpers beside it (validation, forms, as-of) do not. */
const isRouteModule = (f: string) => /\bRouter\(\)/.test(read(f));

describe('layering: route → service → repository', () => {
  it('when a file outside server/repositories/ and server/db/ is read, then it neither imports knex nor queries a table', () => {
    const offenders = files(server)
      .filter((f) => !/^(repositories|db)\//.test(rel(f)))
      .filter((f) => /from 'knex'|\btrx\(['"`]|\bdb\(['"`]|\.db\(|\bctx\.db\b|\.raw\(/.test(read(f)))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('when the app context is read, then it holds no database handle and no repositories', () => {
    const text = read(path.join(server, 'context.ts'));
    const start = text.indexOf('export interface AppContext');
    const shape = text.slice(start, text.indexOf('\n}', start));
    expect(shape).not.toMatch(/\bdb\b|repos|Repos|Knex|Database/);
  });

  it('when a route is read, then it imports no other route module, no repository and no engine', () => {
    const routeModules = new Set(routeFiles.filter(isRouteModule).map((f) => rel(f).replace(/\.ts$/, '')));
    const offenders = routeFiles.flatMap((f) =>
      valueImports(f)
        .map((spec) => target(f, spec))
        // the pages' index mounts the page routers (as app.ts mounts the API's)
        .filter((t) => (routeModules.has(t) && rel(f) !== 'routes/pages/index.ts') || t.startsWith('repositories/') || t === 'planning/engine')
        .map((t) => `${rel(f)} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when a route is read, then it asks the planning services for answers and never holds the plan itself', () => {
    expect(routeFiles.filter((f) => /\.plans\.|\.plan\(\)/.test(read(f))).map(rel)).toEqual([]);
  });

  it('when the page and API routes are read, then they leave the question of who may to the services', () => {
    // the services authorize (as Directus does); the routes only pass the user on. Two files look at the
    // role for what to show, not who may: the page's buttons (view-locals) and where a login lands (index)
    const showOnly = ['routes/pages/view-locals.ts', 'routes/pages/index.ts'];
    const routes = files(path.join(server, 'routes')).filter((f) => !showOnly.includes(rel(f)));
    expect(routes.map(rel)).toEqual(expect.arrayContaining(['routes/pages/move-forms.ts', 'routes/api/placement.ts']));
    const offenders = routes.filter((f) => /\bcanPlan\(|requireRole\(|\.role\s*[!=]==|forbidden\(/.test(read(f))).map(rel);
    expect(offenders).toEqual([]);
  });

  it('when a service is read, then it gets its collaborators in the constructor and never the app context', () => {
    const offenders = files(path.join(server, 'services'))
      .filter((f) => /from '\.\.\/context\.js'|AppContext/.test(read(f)))
      .map(rel);
    expect(offenders).toEqual([]);
  });
});

describe('one idea per file', () => {
  it('when the imports of server/ and migrations/ are followed (types too, as madge does), then no file leads back to itself', () => {
    const migrations = path.resolve(server, '../migrations');
    const all = [...files(server), ...files(migrations)];
    const known = new Set(all);
    /** every relative import and re-export, as a file path */
    const deps = (f: string) =>
      [...read(f).matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)]
        .map((m) => path.resolve(path.dirname(f), m[1]).replace(/\.js$/, '.ts'))
        .filter((d) => known.has(d));
    const name = (f: string) => path.relative(path.resolve(server, '..'), f).split(path.sep).join('/');
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const circles: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const d of deps(f)) {
        if (state.get(d) === 'open') circles.push([...stack.slice(stack.indexOf(d)), d].map(name).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it('when the repositories are read, then each repository class has a file of its own and index.ts only builds them', () => {
    const index = read(path.join(server, 'repositories', 'index.ts'));
    expect(index).not.toMatch(/^export class /m);
    for (const f of files(path.join(server, 'repositories'))) expect([...read(f).matchAll(/^export class \w+Repo\b/gm)].length, rel(f)).toBeLessThanOrEqual(1);
  });

  it('when the lint configuration is read, then every function in server/ is held to 80 lines, with no file excepted', () => {
    const config = read(path.resolve(server, '../eslint.config.js'));
    expect(config).toMatch(/'max-lines-per-function': \['error', \{ max: 80,/);
    // an override of the rule names only tests, the benchmark and migrations
    const overrides = [...config.matchAll(/files: \[([^\]]*)\],\s*rules: \{[^}]*'max-lines-per-function'/g)].map((m) => m[1]);
    for (const files of overrides) expect(files).not.toMatch(/server|'\*\.ts'|'\*\*\/\*\.ts'/);
    expect(
      fs
        .readdirSync(server, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && /max-lines-per-function/.test(read(path.join(server, f)))),
    ).toEqual([]);
  });
});
