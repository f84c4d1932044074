// What a module's and a signal's names and a unit may be, and the check that a name is not taken
// twice in one scope (Module.ts).

// Constants: a regex literal in a function is a new object at each call, and a design declares some
// 20,000 signals.
/** A module name: an identifier, optionally indexed like ch[3]. */
export const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*$/;
/** A signal name: an identifier (letters, digits, _). */
export const SIGNAL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A unit: letters (or %) only, e.g. V, uA, fC, ps. */
export const UNIT = /^[A-Za-z%]*$/;

const SCANNED_NAMES = 16;

/** The set of names of `list` once it is long, else null (a scan is cheaper). */
export function namesOver(list: readonly { name: string }[]): Set<string> | null {
  return list.length < SCANNED_NAMES ? null : new Set(list.map((x) => x.name));
}

/** True when `name` is among `list`'s names; adds it to `names` (the set kept for a long list) when not. */
export function taken(list: readonly { name: string }[], name: string, names: Set<string> | null): boolean {
  if (names === null) return list.some((x) => x.name === name);
  if (names.has(name)) return true;
  names.add(name);
  return false;
}
