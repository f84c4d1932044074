#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the prepare script). Signals and
// a closed stdout are handled from the start, before the commands' modules load.
import { guardProcess } from "../dist/src/cli/processEnds.js";
guardProcess();
const { main } = await import("../dist/src/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
