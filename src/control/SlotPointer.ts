// SlotPointer: the sliding-window ring of docs/model.md §1: token t goes into slot t mod M, which lives in
// sub-tile slot div tile, column slot mod tile; keeps the mask of slots written so far.
import { Module } from "../engine/Module.js";
import { ConfigError } from "../errors.js";

/** Window geometry: M slots grouped in sub-tiles of `tile` columns (the last one may be partial). */
export interface WindowGeometry {
  windowM: number;
  tile: number;
}

/** Ring pointer, advanced at the start of each token's LOAD phase. */
export class SlotPointer extends Module {
  /** Rises when LOAD begins: the token in flight moves to the next slot. */
  readonly load = this.bit("load", "in");
  /** Index t of the token being processed. */
  readonly token = this.vec("token", 32, "out");
  readonly slot = this.vec("slot", 16, "out");
  readonly subTile = this.vec("subTile", 16, "out");
  readonly column = this.vec("column", 16, "out");
  /** High once every slot holds a token: the window is full. */
  readonly full = this.bit("full", "out");
  /** Bit s set once slot s has been written. */
  readonly written;
  /** Tokens started so far (the next token's index). */
  readonly started = this.vec("started", 32);

  constructor(parent: Module | null, name: string, readonly geometry: WindowGeometry) {
    super(parent, name);
    const { windowM, tile } = geometry;
    if (!Number.isInteger(windowM) || windowM < 1 || windowM > 65535) {
      throw new ConfigError(`${this.path}.windowM`, `${windowM} is not a whole number of slots in 1..65535`);
    }
    // a tile wider than the window is one sub-tile of M columns (docs/model.md §1: ⌈M/tile⌉ sub-tiles)
    if (!Number.isInteger(tile) || tile < 1 || tile > 65535) {
      throw new ConfigError(`${this.path}.tile`, `${tile} is not a whole number of columns in 1..65535`);
    }
    this.written = this.wide("written", windowM, "out");
    const outs = [this.token, this.slot, this.subTile, this.column, this.full, this.written, this.started];
    this.always(this.load.posedge, outs, () => this.advance());
  }

  private advance(): void {
    const { windowM, tile } = this.geometry;
    const t = this.started.get();
    const slot = t % windowM;
    this.token.set(t);
    this.slot.set(slot);
    this.subTile.set(Math.floor(slot / tile));
    this.column.set(slot % tile);
    this.written.setBits(slot, 1, 1);
    this.full.set(t + 1 >= windowM ? 1 : 0);
    this.started.set(t + 1);
  }
}
