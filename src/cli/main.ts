// The `gaincell` command line: dispatches sub-commands; exit 0 on success, 1 on a user error
// (one line naming the file or field), 2 on a usage error (docs/architecture.md, contracts).
import { GaincellError } from "../errors.js";
import { attendCommand } from "./attend.js";
import { reportCommand } from "./report.js";
import { reviewCommand } from "./review.js";
import { sweepCommand } from "./sweep.js";
import { UsageError } from "./options.js";

const HELP = `gaincell — cycle-accurate model of a gain-cell attention accelerator (Leroux et al., arXiv 2409.19315)

usage: gaincell <command> [options]

commands:
  attend    run one attention layer over Q, K, V (.npy) or a seeded token stream; write A (.npy), a VCD trace
  report    energy, latency and area per token in steady state (md, json, csv), against the GPUs of docs/model.md §5
  sweep     the report over a grid of configurations: DIR/sweep.csv and SVG charts (energy, latency, area, error)
  review    one self-contained HTML page for a review: ledger, charts, GPU comparison, one token's waveform
  help      this text; \`gaincell <command> --help\` for a command's options
`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        process.stdout.write(HELP);
        return 0;
      case "attend":
        return await attendCommand(rest);
      case "report":
        return await reportCommand(rest);
      case "sweep":
        return await sweepCommand(rest);
      case "review":
        return await reviewCommand(rest);
      default:
        throw new UsageError(`unknown command "${command}"`, HELP);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`gaincell: ${e.message}\n${e.usage}`);
      return 2;
    }
    if (e instanceof GaincellError) {
      process.stderr.write(`gaincell: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
