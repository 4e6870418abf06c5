/**
 * The fuzz suite's inputs (test/fuzz/fuzz-kit.ts runs them): hostile snippets, huge numbers, invalid UTF-8,
 * mutations of the real captures, repeated short patterns, and arbitrary text and bytes.
 */
import fc from 'fast-check';
/** Declarations and references an XML bomb or an XXE attack is made of, and other parser-confusing fragments. */
export const HOSTILE_SNIPPETS: readonly string[] = [
  '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
  '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">',
  '<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;',
  '<!doctype html>',
  '&lol2;',
  '&xxe;',
  '&#0;',
  '&#x110000;',
  '&#xFFFFFFFF;',
  '&#99999999999;',
  '&amp;amp;',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.0" encoding="UTF-16"?>',
  '<?xml-stylesheet href="x"?>',
  '<!--',
  '-->',
  '</',
  '/>',
  '<a:b xmlns:a="urn:x">',
  ' xmlns="urn:y" a:b="c" ',
  '<__proto__>x</__proto__>',
  '<constructor>y</constructor>',
  '<toString/>',
  '{"__proto__":{"polluted":1}}',
  '"constructor":{"prototype":{"x":1}}',
  '\u0000',
  '\r\n\r\n',
  '\n\n',
  '\r',
  ' \t',
  '"',
  "'",
  '\\',
  '=',
  ',',
  ':',
  ';',
  '%',
  '%zz',
  '%ff%fe%00',
  '\uFEFF',
  '\uD800',
  '\uFFFF',
  'Digest realm="x", nonce="',
  'qop="auth,auth-int", algorithm=SHA-512-256-sess, stale=TRUE',
  'uuid:',
  'urn:uuid:00000000-0000-0000-0000-000000000000',
  'onvif://www.onvif.org/',
  'build ',
  'V',
];

/** Numbers that overflow, go negative, or are not numbers at all. */
export const HUGE_NUMBERS: readonly string[] = [
  '99999999999999999999999999',
  '18446744073709551616',
  '4294967296',
  '2147483648',
  '65536',
  '-1',
  '-0',
  '1e308',
  '1e-400',
  'NaN',
  'Infinity',
  '0x7fffffff',
  '00000000000000000000001',
  '9'.repeat(400),
  '0.000000000000000000001',
];

/** Byte sequences that are not UTF-8 (overlong, lone continuation, surrogate halves, truncated sequences). */
export const INVALID_UTF8: readonly number[][] = [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98]];

export type Mutation =
  | { kind: 'bitflip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number; times: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'splice'; at: number; bytes: number[] }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'number'; at: number; text: string }
  | { kind: 'nest'; at: number; depth: number; style: 'xml' | 'json' | 'list' }
  | { kind: 'invalid-utf8'; at: number; bytes: number[] };

const position = fc.nat({ max: 1 << 20 });

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('bitflip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 400 }), times: fc.integer({ min: 2, max: 64 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.constantFrom(...HOSTILE_SNIPPETS) }),
  fc.record({ kind: fc.constant('number' as const), at: position, text: fc.constantFrom(...HUGE_NUMBERS) }),
  fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.integer({ min: 1, max: 20_000 }), style: fc.constantFrom('xml' as const, 'json' as const, 'list' as const) }),
  fc.record({ kind: fc.constant('invalid-utf8' as const), at: position, bytes: fc.constantFrom(...INVALID_UTF8) }),
);

/** Apply one mutation; positions wrap around the input so every generated value lands somewhere. */
export function applyMutation(input: Buffer, mutation: Mutation): Buffer {
  const at = input.byteLength === 0 ? 0 : mutation.at % (input.byteLength + 1);
  const before = input.subarray(0, at);
  const after = input.subarray(at);
  switch (mutation.kind) {
    case 'bitflip': {
      if (input.byteLength === 0) return input;
      const copy = Buffer.from(input);
      const index = mutation.at % copy.byteLength;
      copy[index] = (copy[index] ?? 0) ^ (1 << mutation.bit);
      return copy;
    }
    case 'truncate':
      return before;
    case 'duplicate': {
      const slice = after.subarray(0, mutation.length);
      return Buffer.concat([before, ...Array.from({ length: mutation.times }, () => slice), after.subarray(slice.byteLength)]);
    }
    case 'delete':
      return Buffer.concat([before, after.subarray(mutation.length)]);
    case 'splice':
    case 'invalid-utf8':
      return Buffer.concat([before, Buffer.from(mutation.bytes), after]);
    case 'insert':
      return Buffer.concat([before, Buffer.from(mutation.text, 'utf8'), after]);
    case 'number': {
      // Replace the digit run at (or after) the position when there is one, else insert.
      const text = input.toString('latin1');
      const run = /\d+/g;
      run.lastIndex = at;
      const match = run.exec(text);
      if (!match) return Buffer.concat([before, Buffer.from(mutation.text, 'latin1'), after]);
      return Buffer.concat([input.subarray(0, match.index), Buffer.from(mutation.text, 'latin1'), input.subarray(match.index + match[0].length)]);
    }
    case 'nest': {
      const [open, close] = mutation.style === 'xml' ? ['<n>', '</n>'] : mutation.style === 'json' ? ['[', ']'] : ['(', ')'];
      return Buffer.concat([before, Buffer.from(open.repeat(mutation.depth)), after, Buffer.from(close.repeat(mutation.depth))]);
    }
  }
}

/** A seed from the captures with one to six mutations applied in turn. */
export function mutatedSeeds(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  if (seeds.length === 0) throw new Error('mutatedSeeds needs at least one seed');
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }))
    .map(([seed, mutations]) => mutations.reduce(applyMutation, seed));
}

/** A short pattern repeated many times: the input shape that turns super-linear work into seconds. */
export function repeatedPatterns(alphabet: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 6 }), fc.integer({ min: 16, max: 20_000 }), fc.constantFrom('', 'x', '"', '\n'))
    .map(([parts, times, tail]) => parts.join('').repeat(times) + tail);
}

/** Arbitrary text: ASCII, any UTF-16 code unit (lone surrogates included), and full Unicode. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('<', '>', '/', '"', '=', '&', ';', ' ', 'a', ':', '!', '?', '-', '[', ']', '#', 'x', '1'), maxLength: 400 }),
);

export const anyBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 2048 });

/** Text or bytes from the generators above plus mutated seeds, for decoders that accept `string | Uint8Array`. */
export function textOrBytes(seeds: readonly Buffer[], alphabet: readonly string[]): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: mutatedSeeds(seeds) },
    { weight: 1, arbitrary: mutatedSeeds(seeds).map((b) => b.toString('utf8')) },
    { weight: 2, arbitrary: anyText },
    { weight: 1, arbitrary: anyBytes },
    { weight: 1, arbitrary: repeatedPatterns(alphabet) },
  );
}

/** Bytes only (the string forms are converted), for decoders that take Uint8Array. */
export function bytesFrom(seeds: readonly Buffer[], alphabet: readonly string[]): fc.Arbitrary<Uint8Array> {
  return textOrBytes(seeds, alphabet).map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v));
}

/** Strings only, for decoders that take text. */
export function textFrom(seeds: readonly Buffer[], alphabet: readonly string[]): fc.Arbitrary<string> {
  return textOrBytes(seeds, alphabet).map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8')));
}
