// The VCD reader's lexer (IEEE 1364-2005 §18.2: a VCD is whitespace-separated tokens): one token at
// a time with the line it starts on, for error messages, scanning the text without splitting it.

/** Whitespace-separated tokens of a text, with the line each starts on. */
export class VcdTokens {
  private pos = 0;
  private line = 1;
  /** Offsets of the current token in `text`: [start, end). */
  start = 0;
  end = 0;
  /** Line the current token starts on, from 1. */
  tokenLine = 1;

  constructor(readonly text: string) {}

  /** Moves to the next token; false at the end of the text. */
  next(): boolean {
    const text = this.text;
    const n = text.length;
    let p = this.pos;
    for (; p < n; p++) {
      const c = text.charCodeAt(p);
      if (c === 10) this.line++;
      else if (c > 32) break;
    }
    if (p >= n) {
      this.pos = p;
      return false;
    }
    this.start = p;
    this.tokenLine = this.line;
    while (p < n && text.charCodeAt(p) > 32) p++;
    this.pos = this.end = p;
    return true;
  }

  /** The current token's text. */
  get token(): string {
    return this.text.slice(this.start, this.end);
  }
}
