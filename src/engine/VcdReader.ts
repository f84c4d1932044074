// Strict Value Change Dump reader (IEEE 1364-2005 §18): the independent truth our VCD writer is tested against.
import { FileFormatError } from "./errors.js";
import { VcdTokens } from "./VcdTokens.js";

/** One `$var` declaration; several vars may share a code (aliases of one net). */
export interface VcdVar {
  code: string;
  /** Declared kind: wire, reg, real, integer, ... */
  type: string;
  width: number;
  /** Scope names and the reference joined with "." (a separate bit range like `[3:0]` is dropped). */
  path: string;
}

/** A value at a time; bits are canonical (see `canonicalBits`), reals are numbers. */
export interface VcdChange {
  time: number;
  value: string | number;
}

/** Every change of one identifier code, in file order. */
interface Track {
  width: number;
  real: boolean;
  times: number[];
  values: (string | number)[];
}

// §18.2.3.2: the variable types of the standard, plus the SystemVerilog ones common writers emit.
const REAL_TYPES = new Set(["real", "realtime", "shortreal"]);
const VAR_TYPES = new Set([
  "event", "integer", "parameter", "real", "realtime", "reg", "supply0", "supply1", "time", "tri",
  "triand", "trior", "trireg", "tri0", "tri1", "wand", "wire", "wor",
  "logic", "bit", "int", "shortint", "longint", "byte", "shortreal",
]);
const SIMULATION_SECTIONS = new Set(["$dumpvars", "$dumpall", "$dumpon", "$dumpoff"]);
// Identifier codes may start with "$" too (Icarus gives its fourth var "$"), so only these end a section.
const KEYWORDS = new Set([
  ...SIMULATION_SECTIONS, "$comment", "$date", "$enddefinitions", "$scope", "$timescale", "$upscope", "$var", "$version",
]);
const TIMESCALE = /^(1|10|100)(s|ms|us|ns|ps|fs)$/;
const BIT_RANGE = /^\[\d+(:\d+)?\]$/;
// §18.2.3.6 value characters by char code, x and z folded to lower case.
const SCALARS = new Map([..."01xzXZ"].map((c) => [c.charCodeAt(0), c.toLowerCase()]));
const BINARY_CACHE_SIZE = 1 << 16;

/** A parsed VCD file: header, declarations and each code's value changes. */
export class VcdDocument {
  date?: string;
  version?: string;
  /** Text of each $comment of the header, in order. */
  readonly comments: string[] = [];
  timescale = "";
  readonly vars: VcdVar[] = [];
  /** First `#time` in the file (0 if there is none). */
  startTime = 0;
  /** Last `#time` in the file (0 if there is none). */
  endTime = 0;

  /** @internal filled by the parser */
  constructor(private readonly tracks: Map<string, Track>, private readonly codeByPath: Map<string, string>) {}

  /** Value changes of the var at `path`, including its `$dumpvars` value, in file order. */
  history(path: string): VcdChange[] {
    const code = this.codeByPath.get(path);
    if (code === undefined) throw new Error(`no var "${path}" in this VCD; it has ${this.paths().slice(0, 5).join(", ")}, ...`);
    const track = this.tracks.get(code)!;
    return track.times.map((time, i) => ({ time, value: track.values[i]! }));
  }

  /** Every declared path, in declaration order. */
  paths(): string[] {
    return this.vars.map((v) => v.path);
  }
}

/**
 * Shortest form of a bit string that extends to the same value (§18.2.1 left-extension:
 * 0 and 1 pad with 0, x with x, z with z): "0010" → "10", "xxx1" → "x1", "0x1" stays "0x1",
 * all zeros → "0". Input is lower-case 0/1/x/z.
 */
export function canonicalBits(bits: string): string {
  const first = bits[0]!;
  let i = 1;
  while (i < bits.length && bits[i] === first) i++;
  if (first === "1") return bits;
  if (first !== "0") return bits.slice(i - 1);
  if (i === bits.length) return "0";
  return bits[i] === "1" ? bits.slice(i) : bits.slice(i - 1);
}

/** Parses a whole VCD text; throws `FileFormatError` naming `fileName` and the line of the first fault. */
export function parseVcd(text: string, fileName = "<vcd>"): VcdDocument {
  return new VcdParser(text, fileName).parse();
}

class VcdParser {
  private readonly tok: VcdTokens;
  private readonly tracks = new Map<string, Track>();
  private readonly codeByPath = new Map<string, string>();
  private readonly doc: VcdDocument;
  private readonly scopes: string[] = [];
  private readonly binaryCache: string[] = [];
  private time = 0;
  private seenTime = false;

  constructor(text: string, private readonly fileName: string) {
    this.tok = new VcdTokens(text);
    this.doc = new VcdDocument(this.tracks, this.codeByPath);
  }

  parse(): VcdDocument {
    this.parseDefinitions();
    return this.parseChanges();
  }

  private fail(line: number, detail: string): never {
    throw new FileFormatError(this.fileName, `line ${line}: ${detail}`);
  }

  /** §18.2.1 declaration commands, up to and including `$enddefinitions $end`. */
  private parseDefinitions(): void {
    const tok = this.tok;
    const doc = this.doc;
    while (tok.next()) {
      const word = tok.token;
      const line = tok.tokenLine;
      switch (word) {
        case "$date": doc.date = this.sectionText(word, line); break;
        case "$version": doc.version = this.sectionText(word, line); break;
        case "$comment": doc.comments.push(this.sectionText(word, line)); break;
        case "$timescale": {
          doc.timescale = this.sectionText(word, line).replace(/\s+/g, "");
          if (!TIMESCALE.test(doc.timescale)) this.fail(line, `$timescale "${doc.timescale}" is not 1, 10 or 100 of s, ms, us, ns, ps, fs`);
          break;
        }
        case "$scope": {
          const parts = this.sectionTokens(word, line);
          if (parts.length !== 2) this.fail(line, `$scope needs a type and a name, got "${parts.join(" ")}"`);
          this.scopes.push(parts[1]!);
          break;
        }
        case "$upscope":
          if (this.sectionTokens(word, line).length !== 0) this.fail(line, "$upscope takes no arguments");
          if (this.scopes.pop() === undefined) this.fail(line, "$upscope without an open $scope");
          break;
        case "$var": this.declareVar(this.sectionTokens(word, line), line); break;
        case "$enddefinitions":
          this.sectionTokens(word, line);
          if (this.scopes.length > 0) this.fail(line, `$enddefinitions with ${this.scopes.length} $scope(s) still open: ${this.scopes.join(".")}`);
          return;
        default:
          if (word.startsWith("$") && !SIMULATION_SECTIONS.has(word)) this.fail(line, `unknown keyword ${word} in the definitions`);
          this.fail(line, `missing $enddefinitions before "${word}"`);
      }
    }
    this.fail(tok.tokenLine, "missing $enddefinitions: the file ends inside the definitions");
  }

  /** Tokens up to the closing `$end` of the section opened by `keyword` at `line`. */
  private sectionTokens(keyword: string, line: number): string[] {
    const parts: string[] = [];
    while (this.tok.next()) {
      const word = this.tok.token;
      if (word === "$end") return parts;
      if (KEYWORDS.has(word)) this.fail(this.tok.tokenLine, `${keyword} at line ${line} is not closed by $end before ${word}`);
      parts.push(word);
    }
    this.fail(this.tok.tokenLine, `unterminated ${keyword} section opened at line ${line}`);
  }

  private sectionText(keyword: string, line: number): string {
    return this.sectionTokens(keyword, line).join(" ");
  }

  /** §18.2.3.8: `$var type size code reference [range] $end`. */
  private declareVar(parts: string[], line: number): void {
    if (parts.length < 4) this.fail(line, `$var needs type, width, code and name, got "${parts.join(" ")}"`);
    const [type, widthText, code, name, ...range] = parts as [string, string, string, string, ...string[]];
    if (!VAR_TYPES.has(type)) this.fail(line, `$var type "${type}" is not a VCD variable type`);
    const width = /^\d+$/.test(widthText) ? Number(widthText) : NaN;
    if (!(width >= 1) || !Number.isSafeInteger(width)) this.fail(line, `$var ${name} has width "${widthText}"; expected a positive integer`);
    if (range.length > 1 || (range.length === 1 && !BIT_RANGE.test(range[0]!))) {
      this.fail(line, `$var ${name}: unexpected "${range.join(" ")}" after the name; expected [msb:lsb] or $end`);
    }
    const path = [...this.scopes, name].join(".");
    const real = REAL_TYPES.has(type);
    const track = this.tracks.get(code);
    if (track === undefined) this.tracks.set(code, { width, real, times: [], values: [] });
    else if (track.width !== width || track.real !== real) this.fail(line, `code "${code}" of ${path} was declared before as another width or kind`);
    const previous = this.codeByPath.get(path);
    if (previous === code) return;
    if (previous !== undefined) this.fail(line, `${path} is declared twice, with codes "${previous}" and "${code}"`);
    this.codeByPath.set(path, code);
    this.doc.vars.push({ code, type, width, path });
  }

  /** §18.2.2 simulation commands: times, value changes and `$dump*` blocks. */
  private parseChanges(): VcdDocument {
    const tok = this.tok;
    let openBlock = "";
    let blockLine = 0;
    while (tok.next()) {
      const c = tok.text.charCodeAt(tok.start);
      if (c === 35 /* # */) {
        if (openBlock !== "") this.fail(tok.tokenLine, `${openBlock} at line ${blockLine} is not closed by $end before a #time`);
        this.advanceTime();
      } else if (c === 36 /* $ */) {
        const word = tok.token;
        if (word === "$end" && openBlock !== "") openBlock = "";
        else if (word === "$comment") this.sectionText(word, tok.tokenLine);
        else if (SIMULATION_SECTIONS.has(word) && openBlock === "") [openBlock, blockLine] = [word, tok.tokenLine];
        else this.fail(tok.tokenLine, `unexpected ${word} among the value changes`);
      } else {
        this.valueChange(c);
      }
    }
    if (openBlock !== "") this.fail(tok.tokenLine, `unterminated ${openBlock} section opened at line ${blockLine}`);
    return this.doc;
  }

  private advanceTime(): void {
    const tok = this.tok;
    let time = 0;
    for (let p = tok.start + 1; p < tok.end; p++) {
      const digit = tok.text.charCodeAt(p) - 48;
      if (digit < 0 || digit > 9) this.fail(tok.tokenLine, `bad time "${tok.token}"; expected # and decimal digits`);
      time = time * 10 + digit;
    }
    if (tok.end === tok.start + 1 || !Number.isSafeInteger(time)) this.fail(tok.tokenLine, `bad time "${tok.token}"`);
    if (time < this.time) this.fail(tok.tokenLine, `time goes backwards: #${time} after #${this.time}`);
    if (!this.seenTime) this.doc.startTime = time;
    this.seenTime = true;
    this.time = this.doc.endTime = time;
  }

  /** §18.2.3.6 value_change: `0!` scalar, `b0101 !` vector, `r1.5 !` real. */
  private valueChange(lead: number): void {
    const tok = this.tok;
    const line = tok.tokenLine;
    if (lead === 98 /* b */ || lead === 66 /* B */) return this.vectorChange(line);
    if (lead === 114 /* r */ || lead === 82 /* R */) return this.realChange(line);
    const bit = SCALARS.get(lead);
    if (bit === undefined) this.fail(line, `bad value character "${String.fromCharCode(lead)}" in "${tok.token}"; expected 0 1 x z, b or r`);
    const code = tok.text.slice(tok.start + 1, tok.end);
    if (code === "") this.fail(line, `scalar value "${bit}" has no identifier code after it`);
    const track = this.track(code, line);
    if (track.real || track.width !== 1) this.fail(line, `scalar value for code "${code}", declared ${track.real ? "real" : `${track.width} bits`}; use b or r`);
    this.record(track, bit);
  }

  private vectorChange(line: number): void {
    const tok = this.tok;
    const from = tok.start + 1;
    const length = tok.end - from;
    // Most values are short and binary: read them as a number and reuse one string per number.
    let value = 0;
    let binary = length <= 30;
    for (let p = from; p < tok.end; p++) {
      const c = tok.text.charCodeAt(p);
      if (c === 48 || c === 49) value = value * 2 + c - 48;
      else if (SCALARS.has(c)) binary = false;
      else this.fail(line, `bad value character "${String.fromCharCode(c)}" in "${tok.token}"; expected b and 0 1 x z`);
    }
    if (length === 0) this.fail(line, "empty vector value; expected b followed by 0 1 x z");
    const raw = binary ? "" : tok.text.slice(from, tok.end);
    if (!tok.next()) this.fail(line, "vector value has no identifier code after it");
    const track = this.track(tok.token, line);
    if (track.real) this.fail(line, `vector value for code "${tok.token}", declared real`);
    if (length > track.width) this.fail(line, `value of ${length} bits for code "${tok.token}", declared ${track.width} bits`);
    this.record(track, binary ? this.binaryText(value) : canonicalBits(raw.toLowerCase()));
  }

  private realChange(line: number): void {
    const tok = this.tok;
    const text = tok.text.slice(tok.start + 1, tok.end);
    const value = Number(text);
    if (text === "" || Number.isNaN(value)) this.fail(line, `bad real value "${text}"; expected r and a decimal number`);
    if (!tok.next()) this.fail(line, "real value has no identifier code after it");
    const track = this.track(tok.token, line);
    if (!track.real) this.fail(line, `real value for code "${tok.token}", declared a ${track.width}-bit vector`);
    this.record(track, value);
  }

  private binaryText(value: number): string {
    if (value >= BINARY_CACHE_SIZE) return value.toString(2);
    return (this.binaryCache[value] ??= value.toString(2));
  }

  private track(code: string, line: number): Track {
    const track = this.tracks.get(code);
    if (track === undefined) this.fail(line, `value change for undeclared identifier code "${code}"`);
    return track;
  }

  private record(track: Track, value: string | number): void {
    track.times.push(this.time);
    track.values.push(value);
  }
}
