// The layering of docs/architecture.md, checked by dependency-cruiser (`npm run deps`, and
// test/layering.test.ts under `npm test`). Paths are relative to the repository root.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "engine-imports-only-engine",
      comment: "The simulation kernel knows nothing of gain cells: src/engine imports nothing else of src.",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { path: "^src/", pathNot: "^src/engine/" },
    },
    {
      name: "analog-not-control",
      comment: "Analog blocks and controllers meet only where src/arch wires them.",
      severity: "error",
      from: { path: "^src/analog/" },
      to: { path: "^src/control/" },
    },
    {
      name: "control-not-analog",
      comment: "Analog blocks and controllers meet only where src/arch wires them.",
      severity: "error",
      from: { path: "^src/control/" },
      to: { path: "^src/analog/" },
    },
    {
      name: "functional-imports-only-laws",
      comment:
        "The untimed reference shares only the device law, the quantiser and the constants (src/laws) with " +
        "the blocks; besides those it may use the generic error classes (src/errors.ts) and the field " +
        "checks its configuration is validated with (src/fieldChecks.ts).",
      severity: "error",
      from: { path: "^src/functional/" },
      to: { path: "^src/", pathNot: "^src/(functional/|laws/|errors[.]ts$|fieldChecks[.]ts$)" },
    },
    {
      name: "laws-imports-only-laws",
      comment:
        "The laws sit under both models: src/laws imports only itself, the generic error classes " +
        "(src/errors.ts) and the field checks its parameters are validated with (src/fieldChecks.ts).",
      severity: "error",
      from: { path: "^src/laws/" },
      to: { path: "^src/", pathNot: "^src/(laws/|errors[.]ts$|fieldChecks[.]ts$)" },
    },
    {
      name: "recall-below-report",
      comment:
        "The associative-recall workload (streams, encoding, decoding) runs on the models below it; the " +
        "outputs, sweeps and command line above it use it, never the other way round.",
      severity: "error",
      from: { path: "^src/recall/" },
      to: { path: "^src/(report|cli|verify)/" },
    },
    {
      name: "no-cycles",
      comment: "No import cycles anywhere in src, type-only imports included.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // type-only imports count: a layer may not even name the types of a layer above it
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
