/**
 * The named failure every codec throws (docs/ARCHITECTURE.md §4): a stable machine-readable `code` and a message a person can
 * read. Each codec subclasses it so callers can tell whose input was bad.
 */
export class CodecError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
