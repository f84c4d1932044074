// Signal selection by globs over dotted hierarchical names, as in `--signals "pwm64.ch[0].*,*.clk"`.

// Characters with a meaning in a RegExp; escaped so that, notably, `ch[3]` means the text `ch[3]`.
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Compiles comma-separated globs into one test: `*` matches any run of characters (dots
 * included), `?` exactly one, anything else itself. Spaces around a pattern are ignored.
 * No pattern at all matches every path.
 */
export function compileGlobs(patterns: string | undefined): (path: string) => boolean {
  const globs = splitGlobs(patterns);
  if (globs.length === 0) return () => true;
  // "s" lets `*` cross any character; "u" makes `?` one code point, not one UTF-16 unit.
  const matcher = new RegExp(`^(?:${globs.map(globSource).join("|")})$`, "su");
  return (path) => matcher.test(path);
}

function globSource(glob: string): string {
  return glob
    .split("*")
    .map((part) => part.split("?").map((literal) => literal.replace(REGEXP_SYNTAX, "\\$&")).join("."))
    .join(".*");
}

/** The globs of a comma-separated list, trimmed, empty ones dropped. */
export function splitGlobs(patterns: string | undefined): string[] {
  return (patterns ?? "").split(",").map((g) => g.trim()).filter((g) => g !== "");
}

/**
 * Edits (inserted, deleted or changed characters) that make `name` match `glob`, where `*` matches
 * any run and `?` any one character at no cost: 0 when it matches. Used to suggest names close to a
 * glob that matches none.
 */
export function globDistance(glob: string, name: string): number {
  const g = [...glob];
  const s = [...name];
  // one row per glob character over the name's prefixes, as in Levenshtein's distance
  let prev = Array.from({ length: s.length + 1 }, (_, j) => j);
  for (let i = 1; i <= g.length; i++) {
    const row = new Array<number>(s.length + 1);
    const c = g[i - 1];
    row[0] = c === "*" ? prev[0] : prev[0] + 1;
    for (let j = 1; j <= s.length; j++) {
      row[j] = c === "*"
        ? Math.min(prev[j], row[j - 1])
        : Math.min(prev[j - 1] + (c === "?" || c === s[j - 1] ? 0 : 1), prev[j] + 1, row[j - 1] + 1);
    }
    prev = row;
  }
  return prev[s.length];
}

/** Up to `count` of `names` closest to `glob` (fewest edits, then first listed). */
export function closeNames(glob: string, names: Iterable<string>, count: number): string[] {
  const best: { name: string; distance: number }[] = [];
  for (const name of names) {
    if (best.length === count && Math.abs(name.length - glob.length) > best[count - 1].distance && !glob.includes("*")) continue;
    const distance = globDistance(glob, name);
    if (best.length === count && distance >= best[count - 1].distance) continue;
    if (best.some((b) => b.name === name)) continue;
    best.push({ name, distance });
    best.sort((a, b) => a.distance - b.distance);
    if (best.length > count) best.pop();
  }
  return best.map((b) => b.name);
}
