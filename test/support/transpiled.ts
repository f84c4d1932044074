// The TypeScript sources as plain ES modules in a temporary directory (typescript's transpileModule,
// no type check), for tests that load project code where vitest does not, e.g. a worker thread.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { ROOT } from "./build.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

/**
 * Transpiles src/ into a fresh directory and returns it (the layout of src/, .js files); `dispose`
 * removes it. It lies inside the repository (node_modules/.cache) so that packages resolve.
 */
export function transpileSources(): { dir: string; dispose: () => void } {
  mkdirSync(join(ROOT, "node_modules", ".cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, "node_modules", ".cache", "src-"));
  for (const file of sources(join(ROOT, "src"))) {
    const out = join(dir, relative(join(ROOT, "src"), file)).replace(/\.ts$/, ".js");
    const js = ts.transpileModule(readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
  writeFileSync(join(dir, "package.json"), '{"type": "module"}\n');
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
