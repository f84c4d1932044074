// The platforms the paper compares against (docs/model.md §5): attention only, with a KV cache and a sliding
// window, per generated token, for the 12 heads of one GPT-2 small layer.

/** One platform's measured cost of a token's attention over `basisHeads` heads. */
export interface Platform {
  readonly name: string;
  /** Latency per token, µs. */
  readonly latencyUs: number;
  /** Energy per token, mJ. */
  readonly energyMj: number;
  /** True when the paper gives the figure as approximate ("about"). */
  readonly approximate: boolean;
}

/** Heads behind every platform figure: one GPT-2 small layer (docs/model.md §5, "12 heads"). */
export const PLATFORM_BASIS_HEADS = 12;

/** What the comparison compares, stated in every report. */
export const PLATFORM_BASIS =
  "docs/model.md §5: attention only (KV cache, sliding window), per generated token, for the 12 heads of one GPT-2 small layer. " +
  "Ours: one layer's latency per token (all heads run in parallel) and 12 × one head's energy per token.";

/** docs/model.md §5's table. */
export const PLATFORMS: readonly Platform[] = Object.freeze([
  { name: "NVIDIA RTX 4090", latencyUs: 22.37, energyMj: 7.18, approximate: false },
  { name: "NVIDIA Jetson Nano", latencyUs: 488.9, energyMj: 3.25, approximate: false },
  { name: "NVIDIA H100", latencyUs: 6.5, energyMj: 5.2, approximate: true },
]);
