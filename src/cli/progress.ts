// A progress bar on stderr for long runs, shown only when stderr is a terminal (cli-progress).
import cliProgress from "cli-progress";

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
    this.bar?.start(total, 0);
  }

  /** Sets the units done. */
  update(done: number): void {
    this.bar?.update(done);
  }

  /** Removes the bar. */
  stop(): void {
    this.bar?.stop();
  }
}
