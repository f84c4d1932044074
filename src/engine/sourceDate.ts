// The date stamped into outputs (a trace's $date, a page's "generated"): SOURCE_DATE_EPOCH when it
// is set, so that two identical runs give identical files (reproducible-builds.org's convention).
import { GaincellError } from "./errors.js";

/** SOURCE_DATE_EPOCH (whole seconds since 1970-01-01 UTC) as a date, or now when it is not set. */
export function outputDate(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return new Date();
  const date = /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new GaincellError(`SOURCE_DATE_EPOCH: "${epoch}" is not a whole number of seconds since 1970-01-01 UTC (as date +%s prints)`);
  }
  return date;
}
