// Signal selection by globs over dotted hierarchical names, as in `--signals "pwm64.ch[0].*,*.clk"`.

// Characters with a meaning in a RegExp; escaped so that, notably, `ch[3]` means the text `ch[3]`.
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Compiles comma-separated globs into one test: `*` matches any run of characters (dots
 * included), `?` exactly one, anything else itself. Spaces around a pattern are ignored.
 * No pattern at all matches every path.
 */
export function compileGlobs(patterns: string | undefined): (path: string) => boolean {
  const globs = (patterns ?? "").split(",").map((g) => g.trim()).filter((g) => g !== "");
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
