// User-facing error classes: the engine's (each names the file, signal or index at fault) and the
// configuration's, which names the field.
import { GaincellError } from "./engine/errors.js";

export * from "./engine/errors.js";

/** A configuration field is missing, of the wrong type or out of range. */
export class ConfigError extends GaincellError {
  override name = "ConfigError";
  constructor(readonly field: string, detail: string) {
    super(`${field}: ${detail}`);
  }
}
