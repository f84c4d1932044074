// The constants of Philox-4x32-10 (Salmon, Moraes, Dror, Shaw, SC 2011; Random123), the generator of
// docs/model.md §7: shared by the JavaScript reference (philox.ts) and the WebAssembly version (philoxWasm.ts).

/** The round multipliers. */
export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
/** The Weyl increments of the key, added before each round after the first. */
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;
/** Rounds: Philox-4x32-10. */
export const PHILOX_ROUNDS = 10;
