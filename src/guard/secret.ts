/**
 * A password that cannot leak by accident (docs/SAFETY.md S7): JSON.stringify, String(), template literals and
 * util.inspect all give "[redacted]". Only `reveal()` returns the value, and only auth/ and the CSV export call it.
 */
import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  get length(): number {
    return this.#value.length;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
