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
  const acc = new Map<number, number[][]>();
  dec.queries.forEach((e, i) => {
    const a = acc.get(e.distance) ?? [[0, 0], [0, 0]];
    for (let d = 0; d < D; d++) { const l = stream.valueLevels[(e.token - e.distance) * D + d]; a[l][0] += dec.scores[i * D + d] === 1 ? 1 : 0; a[l][1]++; }
    acc.set(e.distance, a);
  });
  for (let l = 0; l < 2; l++) {
    const ds = [...acc.keys()].sort((a, b) => a - b);
    const firstFail = ds.find((d) => acc.get(d)![l][0] < acc.get(d)![l][1]);
    const lastOk = [...ds].reverse().find((d) => acc.get(d)![l][0] === acc.get(d)![l][1]);
    console.log(`level ${l}: predicted ${encoding.breakEven[l].tokens?.toFixed(2)}, first fail ${firstFail}, last all-right ${lastOk}`);
  }
}
it("try", async () => {
  const dist = Array.from({ length: 127 }, (_, i) => i + 1);
  const plan = { distances: dist, queriesPerDistance: 4, probes: 8, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed: 1 };
  for (const [ov, seed] of [[4, 1], [4, 2], [4, 3], [3, 1]] as const) {
    console.log("overlap", ov, "seed", seed);
    perLevel(validateAccelerator({ heads: 1, windowM: 128, lambdaPerToken: 0.01 }), { ...plan, seed, maxOverlap: ov });
  }
  try { perLevel(validateAccelerator({ heads: 1, windowM: 128, lambdaPerToken: 0.01 }), { ...plan, maxOverlap: 2 }); } catch (e) { console.log(String(e)); }
}, 600000);
