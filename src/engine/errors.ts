// The engine's error classes: each names the thing at fault (file, signal, index) and what was expected.

/** Base of every error a user may see; the CLI prints its message on one line and exits 1. */
export class GaincellError extends Error {
  override name = "GaincellError";
}

/** The model is wired wrongly: bad connection, second driver, unknown signal. Raised at build time. */
export class ElaborationError extends GaincellError {
  override name = "ElaborationError";
}

/** A signal has two drivers; names both. */
export class DriverConflict extends ElaborationError {
  override name = "DriverConflict";
}

/** A signal was driven with a value of the wrong kind (non-integer into a vector, NaN into a real...). */
export class SignalValueError extends GaincellError {
  override name = "SignalValueError";
}

/** Run-time failure of the scheduler: unsettled combinational loop, time overflow. */
export class SimulationError extends GaincellError {
  override name = "SimulationError";
}

/** A signal-selection glob matches no signal; names the glob and a few close names. */
export class SignalSelectionError extends GaincellError {
  override name = "SignalSelectionError";
  constructor(readonly glob: string, readonly closeNames: readonly string[]) {
    super(`"${glob}" matches no signal${closeNames.length > 0 ? `; close names: ${closeNames.join(", ")}` : ""}`);
  }
}

/** A file could not be parsed; names the file and the position. */
export class FileFormatError extends GaincellError {
  override name = "FileFormatError";
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}
