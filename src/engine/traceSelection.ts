// Which signals a trace's filter selects, and the names they are traced by (VcdTrace.ts): globs on
// hierarchical names, matched against a signal's path and, for a real, its name with its unit.
import { SignalKind } from "./api.js";
import { SignalSelectionError } from "./errors.js";
import { closeNames, compileGlobs, splitGlobs } from "./glob.js";
import type { Signal } from "./Signal.js";

// Close names offered for a glob that matches no signal.
const CLOSE_NAMES = 5;

/** Traced name of a handle: reals carry their unit, e.g. `charge_fC`. */
export function traceName(s: Signal): string {
  return s.kind === SignalKind.Real && s.unit !== "" ? `${s.name}_${s.unit}` : s.name;
}

/** The signals a `signals` filter selects: by path (`….charge`) or by traced name (`….charge_fC`). */
export function traceSelection(signals: string | undefined): (s: Signal) => boolean {
  const wanted = compileGlobs(signals);
  return (s) => wanted(s.path) || (s.kind === SignalKind.Real && wanted(`${s.owner.path}.${traceName(s)}`));
}

/** Throws SignalSelectionError for the first glob of `signals` that selects none of `handles`. */
export function checkEveryGlobMatches(signals: string | undefined, handles: readonly Signal[]): void {
  for (const glob of splitGlobs(signals)) {
    const selects = traceSelection(glob);
    if (handles.some(selects)) continue;
    throw new SignalSelectionError(glob, closeNames(glob, handles.map((h) => `${h.owner.path}.${traceName(h)}`), CLOSE_NAMES));
  }
}
