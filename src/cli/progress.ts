// A progress bar on stderr for long runs, shown only when stderr is a terminal (cli-progress). The
// bar hides the cursor; it is shown again on every way out (stop, an error, process.exit, a signal).
import cliProgress from "cli-progress";

/** Bars started and not yet stopped. */
const active = new Set<Progress>();
let exitHookInstalled = false;

/** Progress of `total` units; silent when stderr is not a TTY. */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;

  constructor(total: number, unit: string) {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: `{bar} {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    if (this.bar === null) return;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on("exit", () => Progress.stopAll());
    }
    active.add(this);
    this.bar.start(total, 0);
  }

  /** Removes every bar still shown and shows the cursor (before a message, or when exiting). */
  static stopAll(): void {
    for (const p of active) p.stop();
  }

  /** Sets the units done. */
  update(done: number): void {
    this.bar?.update(done);
  }

  /** Removes the bar and shows the cursor; safe to call twice. */
  stop(): void {
    if (!active.delete(this)) return;
    this.bar?.stop();
  }
}
