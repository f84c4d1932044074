// `npm run pwm64 -- --cycles N [--vcd FILE]`: runs the pwm64 model and prints, as its last line,
// exactly what the Verilog prints: `cycles=N checksum=S`.
import { parseArgs } from "node:util";
import { runInterruptible } from "../../src/engine/runInterruptible.js";
import { Simulator } from "../../src/engine/Simulator.js";
import { VcdTrace } from "../../src/engine/VcdTrace.js";
import { GaincellError } from "../../src/errors.js";
import { Pwm64 } from "./Pwm64.js";

const USAGE = "usage: npm run pwm64 -- --cycles N [--vcd FILE] [--signals GLOB] [--from PS] [--to PS]";

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cycles: { type: "string", default: "1000" },
        vcd: { type: "string" },
        signals: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const cycles = Number(values.cycles);
  if (!Number.isInteger(cycles) || cycles < 1) {
    console.error(`--cycles: "${values.cycles}" is not a whole number ≥ 1\n${USAGE}`);
    return 2;
  }
  const fromPs = values.from === undefined ? undefined : Number(values.from);
  const toPs = values.to === undefined ? undefined : Number(values.to);
  for (const [flag, text, ps] of [["--from", values.from, fromPs], ["--to", values.to, toPs]] as const) {
    if (ps !== undefined && !(Number.isSafeInteger(ps) && ps >= 0)) {
      console.error(`${flag}: "${text}" is not a whole number of picoseconds ≥ 0\n${USAGE}`);
      return 2;
    }
  }
  if (fromPs !== undefined && toPs !== undefined && toPs < fromPs) {
    console.error(`--to ${toPs} is before --from ${fromPs}: the window would be empty\n${USAGE}`);
    return 2;
  }
  const top = new Pwm64("pwm64", cycles);
  const sim = new Simulator(top);
  if (values.vcd) new VcdTrace(sim, values.vcd, { signals: values.signals, fromPs, toPs, version: "gaincell pwm64" });
  const outcome = await runInterruptible(sim, top.lastEdgePs);
  if (outcome.interrupted) {
    console.error(`interrupted at ${outcome.endPs} ps; the trace up to there is complete`);
    return 130;
  }
  console.log(`cycles=${cycles} checksum=${top.checksum}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e instanceof GaincellError ? e.message : e);
    process.exitCode = 1;
  },
);
