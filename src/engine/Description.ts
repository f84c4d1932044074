// A described process (api.ts, "Described processes"): the process as a tree of statements and
// expressions over signals, built once by its module, which both back ends run — the interpreted
// one by walking it through the handles, the compiled one as straight-line code in its schedule.
import { ElaborationError } from "./errors.js";
import { Signal, type Bit, type Vec, type WideVec } from "./Signal.js";

/** Binary operators over unsigned 32-bit values; eq, ne and lt give 1 or 0. */
export type BinaryOp = "add" | "sub" | "and" | "or" | "xor" | "shl" | "shr" | "eq" | "ne" | "lt";

/** Bits lo..lo+width−1 (width ≤ 32) of a wide vector: read as an expression, written as a part-select. */
export interface Field {
  readonly kind: "field";
  readonly signal: WideVec;
  readonly lo: number;
  readonly width: number;
}

/** A blocking variable of the process: an unsigned 32-bit value, 0 until assigned in a run. */
export interface Local {
  readonly kind: "local";
  readonly index: number;
}

/** An expression: its value is an unsigned 32-bit integer. */
export type Expr =
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "signal"; readonly signal: Bit | Vec }
  | Field
  | Local
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly kind: "not"; readonly a: Expr }
  | { readonly kind: "mux"; readonly select: Expr; readonly a: Expr; readonly b: Expr };

/** What an operator takes: an expression, a Bit or Vec (its committed value), or a constant. */
export type Operand = Expr | Bit | Vec | number;

/** What an assignment writes: a signal or a field of one (non-blocking), or a local (blocking). */
export type Target = Bit | Vec | Field | Local;

/** A statement of a described process. */
export type Statement =
  | { readonly kind: "assign"; readonly target: Bit | Vec | Field; readonly value: Expr }
  | { readonly kind: "let"; readonly local: Local; readonly value: Expr }
  | { readonly kind: "if"; readonly branches: { cond: Expr; body: Statement[] }[]; otherwise: Statement[] | null };

/** The branches of an if statement being built: more conditions, then what runs when none held. */
export class Branches {
  constructor(private readonly d: Description, private readonly statement: Extract<Statement, { kind: "if" }>) {}

  /** Runs `body` when no earlier condition held and `cond` is not 0 (Verilog's `else if`). */
  orWhen(cond: Operand, body: () => void): Branches {
    if (this.statement.otherwise !== null) throw new ElaborationError(`${this.d.where}: orWhen after otherwise`);
    this.statement.branches.push({ cond: this.d.expr(cond), body: this.d.block(body) });
    return this;
  }

  /** Runs `body` when no condition held (Verilog's `else`). */
  otherwise(body: () => void): void {
    if (this.statement.otherwise !== null) throw new ElaborationError(`${this.d.where}: otherwise given twice`);
    this.statement.otherwise = this.d.block(body);
  }
}

/**
 * Builds the description of one process (Module.described, Module.describedComb): operators make
 * expressions, `assign` and `when` add statements to the block being built. Values are unsigned
 * 32-bit integers; an assignment to a signal wraps to its width as `set` does (api.ts).
 */
export class Description {
  /** The process body, in order. */
  readonly statements: Statement[] = [];
  /** Locals declared so far. */
  nLocals = 0;
  private current: Statement[] = this.statements;

  /** `where` names the process in messages. */
  constructor(readonly where: string) {}

  /** a + b, wrapped to 32 bits. */
  add(a: Operand, b: Operand): Expr { return this.binary("add", a, b); }
  /** a − b, wrapped to 32 bits. */
  sub(a: Operand, b: Operand): Expr { return this.binary("sub", a, b); }
  /** Bitwise and. */
  and(a: Operand, b: Operand): Expr { return this.binary("and", a, b); }
  /** Bitwise or. */
  or(a: Operand, b: Operand): Expr { return this.binary("or", a, b); }
  /** Bitwise exclusive or. */
  xor(a: Operand, b: Operand): Expr { return this.binary("xor", a, b); }
  /** a << b, wrapped to 32 bits; 0 when b ≥ 32. */
  shl(a: Operand, b: Operand): Expr { return this.binary("shl", a, b); }
  /** a >> b (logical); 0 when b ≥ 32. */
  shr(a: Operand, b: Operand): Expr { return this.binary("shr", a, b); }
  /** 1 when a = b, else 0. */
  eq(a: Operand, b: Operand): Expr { return this.binary("eq", a, b); }
  /** 1 when a ≠ b, else 0. */
  ne(a: Operand, b: Operand): Expr { return this.binary("ne", a, b); }
  /** 1 when a < b, else 0. */
  lt(a: Operand, b: Operand): Expr { return this.binary("lt", a, b); }

  /** Bitwise not over 32 bits (an assignment then wraps it to the target's width). */
  not(a: Operand): Expr {
    return { kind: "not", a: this.expr(a) };
  }

  /** `a` when `select` is not 0, else `b` (Verilog's `select ? a : b`). */
  mux(select: Operand, a: Operand, b: Operand): Expr {
    return { kind: "mux", select: this.expr(select), a: this.expr(a), b: this.expr(b) };
  }

  /** Bits lo..lo+width−1 of `signal` (`signal[lo+width-1:lo]`), width 1..32, inside its width. */
  bits(signal: WideVec, lo: number, width: number): Field {
    if (!Number.isInteger(lo) || lo < 0 || !Number.isInteger(width) || width < 1 || width > 32 || lo + width > signal.width) {
      throw new ElaborationError(`${this.where}: bits ${lo}+${width} of ${signal.path}: expected 1..32 bits inside its ${signal.width}`);
    }
    return { kind: "field", signal, lo, width };
  }

  /** 32-bit word `i` of `signal` (the top word as wide as what is left). */
  word(signal: WideVec, i: number): Field {
    return this.bits(signal, 32 * i, Math.min(32, signal.width - 32 * i));
  }

  /** Declares a blocking local, set to `init` here; `assign` sets it again, at once. */
  local(init: Operand = 0): Local {
    const local: Local = { kind: "local", index: this.nLocals++ };
    this.current.push({ kind: "let", local, value: this.expr(init) });
    return local;
  }

  /** Assigns `value`: to a signal or field at the end of the time step's delta (non-blocking), to a local at once. */
  assign(target: Target, value: Operand): void {
    const v = this.expr(value);
    if (!(target instanceof Signal) && target.kind === "local") this.current.push({ kind: "let", local: target, value: v });
    else this.current.push({ kind: "assign", target, value: v });
  }

  /** Runs `body` when `cond` is not 0; the result adds `orWhen` and `otherwise` branches. */
  when(cond: Operand, body: () => void): Branches {
    const statement: Extract<Statement, { kind: "if" }> = { kind: "if", branches: [], otherwise: null };
    statement.branches.push({ cond: this.expr(cond), body: this.block(body) });
    this.current.push(statement);
    return new Branches(this, statement);
  }

  /** The statements `body` adds, as a block of their own. */
  block(body: () => void): Statement[] {
    const outer = this.current;
    const inner: Statement[] = (this.current = []);
    try {
      body();
    } finally {
      this.current = outer;
    }
    return inner;
  }

  /** An operand as an expression; a constant must be an integer in 0..2^32 − 1. */
  expr(a: Operand): Expr {
    if (typeof a === "number") {
      if (!Number.isInteger(a) || a < 0 || a > 0xffffffff) throw new ElaborationError(`${this.where}: constant ${a} is not an integer in 0..4294967295`);
      return { kind: "const", value: a };
    }
    return a instanceof Signal ? { kind: "signal", signal: a } : a;
  }

  private binary(op: BinaryOp, a: Operand, b: Operand): Expr {
    return { kind: "binary", op, a: this.expr(a), b: this.expr(b) };
  }
}

/** The signals a description reads and those it writes, each once, in the order they first appear. */
export function signalsOf(statements: readonly Statement[]): { reads: Signal[]; writes: Signal[] } {
  const reads = new Set<Signal>();
  const writes = new Set<Signal>();
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case "signal": case "field": reads.add(e.signal); return;
      case "binary": expr(e.a); expr(e.b); return;
      case "not": expr(e.a); return;
      case "mux": expr(e.select); expr(e.a); expr(e.b); return;
    }
  };
  const block = (list: readonly Statement[]): void => {
    for (const s of list) {
      if (s.kind === "assign") {
        writes.add(s.target instanceof Signal ? s.target : s.target.signal);
        expr(s.value);
      } else if (s.kind === "let") expr(s.value);
      else {
        for (const b of s.branches) {
          expr(b.cond);
          block(b.body);
        }
        if (s.otherwise !== null) block(s.otherwise);
      }
    }
  };
  block(statements);
  return { reads: [...reads], writes: [...writes] };
}
