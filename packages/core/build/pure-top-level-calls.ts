import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

/**
 * Marks every call in a module's top-level `const` initializers `/* @__PURE__ *\/`, so that a
 * bundler drops a schema or route nobody imports.
 *
 * The contract is declarations only: `export const Offer = named(z.strictObject({ … }), 'Offer')`.
 * Bundlers must keep a top-level call they cannot prove free of side effects, and esbuild cannot
 * prove it for zod/mini's factories, so without the mark an app that imports one schema carries
 * the whole contract (docs/decisions/0004-browser-bundle-budget.md). Calls inside functions are
 * left alone: only what runs when the module loads is marked.
 *
 * For the modules it is given, this holds by construction: their top-level initializers build
 * values and register names in zod's registry (which only the OpenAPI generator reads, and it
 * imports every schema it names). An initializer that must run for its effect does not belong
 * in these modules.
 */
export function markTopLevelCallsPure(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const starts = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) starts.add(node.getStart(file));
    ts.forEachChild(node, visit);
  };
  for (const statement of file.statements) if (ts.isVariableStatement(statement)) ts.forEachChild(statement, visit);
  let marked = source;
  for (const start of [...starts].sort((a, b) => b - a))
    marked = `${marked.slice(0, start)}/* @__PURE__ */ ${marked.slice(start)}`;
  return marked;
}

/** The esbuild plugin: applies {@link markTopLevelCallsPure} to the modules `filter` matches. */
export function pureTopLevelCalls(filter: RegExp): Plugin {
  return {
    name: 'pure-top-level-calls',
    setup(build) {
      build.onLoad({ filter }, async (args) => ({
        contents: markTopLevelCallsPure(await readFile(args.path, 'utf8'), args.path),
        loader: 'ts',
      }));
    },
  };
}
