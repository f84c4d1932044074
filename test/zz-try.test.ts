import { it } from "vitest";
import { validateAccelerator, functionalPart } from "../src/arch/config.js";
import { IDEAL_CHIP } from "../src/chipSpec.js";
import { recallWorkload } from "../src/recall/measure.js";
import { decodeQueries } from "../src/recall/decode.js";
import { attendFunctional } from "../src/functional/attention.js";
function perLevel(config: any, plan: any) {
  const s = { config, plan, chip: IDEAL_CHIP, chips: 1, cycleAccurate: false };
  const { encoding, stream } = recallWorkload(s);
  const out = attendFunctional(stream.q, stream.k, stream.v, stream.T, stream.D, functionalPart(config)).outCodes;
  const dec = decodeQueries(out, stream, encoding);
  const D = stream.D;
  const L = encoding.codebook.length;
  const acc = new Map<number, number[][]>();
  dec.queries.forEach((e, i) => {
    const a = acc.get(e.distance) ?? Array.from({ length: L }, () => [0, 0]);
    for (let d = 0; d < D; d++) { const l = stream.valueLevels[(e.token - e.distance) * D + d]; a[l][0] += dec.scores[i * D + d] === 1 ? 1 : 0; a[l][1]++; }
    acc.set(e.distance, a);
  });
  // first distance where level l is not 100% right, and last distance where it is still 100%
  for (let l = 0; l < L; l++) {
    const ds = [...acc.keys()].sort((a, b) => a - b);
    const firstFail = ds.find((d) => acc.get(d)![l][0] < acc.get(d)![l][1]);
    const lastOk = [...ds].reverse().find((d) => acc.get(d)![l][0] === acc.get(d)![l][1]);
    const firstZero = ds.find((d) => acc.get(d)![l][0] === 0);
    console.log(`level ${l}: predicted ${encoding.breakEven[l].tokens?.toFixed(2)}, first fail ${firstFail}, last all-right ${lastOk}, first none right ${firstZero}`);
  }
}
it("try", async () => {
  const dist = Array.from({ length: 127 }, (_, i) => i + 1);
  const plan = { distances: dist, queriesPerDistance: 4, probes: 8, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed: 1 };
  for (const [M, ov, lam] of [[128, 4, 0.01], [128, 3, 0.01], [96, 4, 0.01], [128, 4, 0.02]] as const) {
    console.log(M, ov, lam);
    perLevel(validateAccelerator({ heads: 1, windowM: M, lambdaPerToken: lam }), { ...plan, maxOverlap: ov, distances: dist.filter((d) => d < M) });
  }
}, 600000);
