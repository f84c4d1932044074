import { it } from "vitest";
import { validateAccelerator } from "../src/arch/config.js";
import { IDEAL_CHIP } from "../src/chipSpec.js";
import { recallEncoding, defaultDistances } from "../src/recall/encoding.js";
import { recallStream } from "../src/recall/stream.js";
it("try", async () => {
  const config = validateAccelerator({ heads: 1, windowM: 64 });
  const plan = { distances: defaultDistances(64), queriesPerDistance: 4, probes: 4, keyWeight: null, maxOverlap: null, valueLevels: 2, threshold: 0.99, seed: 1 };
  console.log("enc0");
  const enc = recallEncoding({...config, lambdaPerToken: 0}, plan, IDEAL_CHIP);
  console.log(JSON.stringify(enc));
  const s = recallStream(config, plan, enc);
  console.log(s.T);
  const enc2 = recallEncoding(config, plan, IDEAL_CHIP);
  console.log(JSON.stringify(enc2));
}, 20000);
