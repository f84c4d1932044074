// The `gaincell` command line: dispatches sub-commands; exit 0 on success, 1 on a user error
// (one line naming the file or field), 2 on a usage error (one line, and where the help is)
// (docs/architecture.md, contracts).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GaincellError } from "../errors.js";
import { attendCommand } from "./attend.js";
import { recallCommand } from "./recall.js";
import { reportCommand } from "./report.js";
import { reviewCommand } from "./review.js";
import { sweepCommand } from "./sweep.js";
import { verifyCommand } from "./verify.js";
import { UsageError } from "./options.js";

const HELP = `gaincell — cycle-accurate model of a gain-cell attention accelerator (Leroux et al., arXiv 2409.19315)

usage: gaincell <command> [options]

commands:
  attend    run one attention layer over Q, K, V (.npy) or a seeded token stream; write A (.npy), a VCD trace
  report    energy, latency and area per token in steady state (md, json, csv), against the GPUs of docs/model.md §5
  sweep     the report (or recall) over a grid of configurations: DIR/sweep.csv and SVG charts
  recall    associative recall through the chip: how far back a stored key → value pair is retrieved
  review    one self-contained HTML page for a review: ledger, charts, GPU comparison, one token's waveform
  verify    random configurations and token streams under the protocol monitors, checked against the
            functional model; functional coverage, JUnit XML
  help      this text; \`gaincell <command> --help\` for a command's options
  --version the version
`;

/** The package's version: from the first gaincell package.json above this file (src/cli or dist/src/cli). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    const pkg = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string }) : {};
    if (pkg.name === "gaincell" && pkg.version !== undefined) return pkg.version;
    if (dirname(dir) === dir) throw new Error(`no gaincell package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

/** The sub-commands, each returning its exit code. */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  attend: attendCommand,
  report: reportCommand,
  sweep: sweepCommand,
  recall: recallCommand,
  review: reviewCommand,
  verify: verifyCommand,
};

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (run !== undefined) return await run(rest);
    if (command === "help" || command === "--help" || command === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === "--version" || command === "-V") {
      process.stdout.write(`gaincell ${version()}\n`);
      return 0;
    }
    throw new UsageError(command === undefined ? "no command given" : `unknown command "${command}"`, HELP);
  } catch (e) {
    if (e instanceof UsageError) {
      // the message on one line (node's parseArgs writes some over three), and where the help is:
      // the whole usage would bury it
      const message = e.message.trim().replace(/\s*\n\s*/g, " ");
      process.stderr.write(`gaincell: ${message}\nsee gaincell ${run !== undefined ? `${command} ` : ""}--help\n`);
      return 2;
    }
    if (e instanceof GaincellError) {
      process.stderr.write(`gaincell: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
