// The simulator's two back ends, for tests that run the same property or example on both.
import type { Backend } from "../../src/engine/api.js";

/** Compiled (the default) and interpreted (the reference). */
export const BACKENDS: readonly Backend[] = ["compiled", "interpreted"];
