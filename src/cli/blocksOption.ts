// `--blocks MODULE[#EXPORT]`: the user's blocks in place of the project's (docs/library.md), named as
// plain data so that worker threads can import them too.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadBlocks, type BlockFactories, type BlockSource } from "../arch/blocks.js";
import { UsageError } from "./options.js";

/** The option's help lines. */
export const BLOCKS_HELP = `  --blocks MODULE[#EXPORT]  your blocks in place of the project's: a .js/.mjs file or a package
                         exporting a Partial<BlockFactories> named EXPORT ("blocks" by default;
                         docs/library.md)
`;

const DEFAULT_EXPORT = "blocks";

/**
 * Where `--blocks` points, with the factories it exports (checked here, in the main thread, so a
 * wrong module or export is one line before any thread starts); undefined without the option.
 */
export async function blocksOption(text: string | undefined, usage: string): Promise<{ source: BlockSource; factories: Partial<BlockFactories> } | undefined> {
  if (text === undefined) return undefined;
  const hash = text.lastIndexOf("#");
  const spec = hash < 0 ? text : text.slice(0, hash);
  const name = hash < 0 ? DEFAULT_EXPORT : text.slice(hash + 1);
  if (spec === "" || name === "") throw new UsageError(`--blocks "${text}": expected MODULE or MODULE#EXPORT`, usage);
  // a path (relative ones from the working directory) becomes a file URL; anything else is a package
  const isPath = spec.startsWith(".") || spec.startsWith("/") || /\.[cm]?js$/.test(spec);
  if (isPath && !existsSync(spec)) throw new UsageError(`--blocks: ${spec} does not exist`, usage);
  const source: BlockSource = isPath
    ? { module: pathToFileURL(resolve(spec)).href, export: name, sha256: createHash("sha256").update(readFileSync(spec)).digest("hex") }
    : { module: spec, export: name };
  return { source, factories: await loadBlocks(source) };
}

/** The kinds swapped in and where from, e.g. `cpcRow from soft.mjs#blocks`. */
export function swappedKinds(text: string, factories: Partial<BlockFactories>): string {
  return `${Object.keys(factories).join(", ") || "none"} from ${text}`;
}
