/**
 * Property-based fuzzing shared by test/fuzz/*.fuzz.test.ts (issue 8, "Hostile networks"). Every decoder that reads
 * network bytes (or a file another process may have damaged) must, for ANY input:
 *
 *   1. return, or throw only its own named error class carrying a non-empty string `code` — never a raw TypeError,
 *      RangeError (stack overflow) or SyntaxError;
 *   2. return within a per-call time bound, linear in the input size (catastrophic regex backtracking or a
 *      quadratic loop shows up here; a synchronous call cannot be interrupted, so the bound is measured, not
 *      enforced);
 *   3. produce bounded output: the JSON of the result and the error message stay within a size proportional to
 *      the input (a decoder must not amplify a datagram into megabytes of warnings or records).
 *
 * Inputs are arbitrary strings and bytes, repeated short patterns (the shape that exposes super-linear work), and
 * MUTATIONS of the real captures in fixtures/captures: bit flips, truncation, duplication, deletion, byte splices,
 * insertion of DOCTYPE/entity declarations and other hostile snippets, huge numbers, deep nesting, invalid UTF-8.
 *
 * Run counts: FUZZ_RUNS per property (default 200, the smoke count `npm test` runs; `npm run fuzz` = 100 000); the per-call bound is FUZZ_CALL_MS
 * (default 500 ms) plus FUZZ_MS_PER_KIB (default 8 ms: room for a loaded machine, still far below super-linear) per KiB of input; FUZZ_REPORT=<file> appends one JSON line
 * of figures per codec when a file finishes.
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { listCaptures, readCapture } from '../support/captures.js';

export const FUZZ_RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? 200) || 200);
export const CALL_BOUND_MS = Math.max(1, Number(process.env['FUZZ_CALL_MS'] ?? 500) || 500);
/**
 * Plus this much per KiB of input: linear work on a 1 MB input (a 20 000-line damaged ledger, a 780 KB document)
 * legitimately takes over 500 ms, while anything super-linear blows far past a per-KiB allowance.
 */
export const CALL_MS_PER_KIB = Math.max(0, Number(process.env['FUZZ_MS_PER_KIB'] ?? 8) || 8);
/** fast-check's own budget for one property: generous, but finite so a pathological run still ends. */
const PROPERTY_TIME_LIMIT_MS = Math.max(60_000, FUZZ_RUNS * 20);
/** vitest timeout for one fuzz test: the property's budget plus slack. */
export const FUZZ_TEST_TIMEOUT_MS = PROPERTY_TIME_LIMIT_MS + 30_000;

/** Error classes a decoder may throw; each must set a string `code`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

export interface Codec<I> {
  name: string;
  run(input: I): unknown;
  /** The only error classes allowed; empty means the function must never throw. */
  errors: readonly ErrorClass[];
  /** Largest JSON size of a result for an input of `inputSize` bytes/characters (default 8 × input + 16 KiB). */
  maxOutputChars?: (inputSize: number) => number;
}

export interface CodecStats {
  codec: string;
  inputs: number;
  returned: number;
  namedErrors: number;
  totalMs: number;
  maxCallMs: number;
  /** Error codes seen, with counts: a fuzzer that only ever hits one code is not exploring. */
  codes: Record<string, number>;
}

const stats = new Map<string, CodecStats>();
const MAX_MESSAGE_CHARS = 4096;

function statsFor(name: string): CodecStats {
  let entry = stats.get(name);
  if (!entry) {
    entry = { codec: name, inputs: 0, returned: 0, namedErrors: 0, totalMs: 0, maxCallMs: 0, codes: {} };
    stats.set(name, entry);
  }
  return entry;
}

afterAll(() => {
  const file = process.env['FUZZ_REPORT'];
  if (!file) return;
  for (const entry of stats.values()) appendFileSync(file, `${JSON.stringify({ ...entry, runs: FUZZ_RUNS })}\n`);
});

export function sizeOf(input: unknown): number {
  if (typeof input === 'string') return input.length;
  if (input instanceof Uint8Array) return input.byteLength;
  return JSON.stringify(input, jsonReplacer)?.length ?? 0;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return value;
}

function describeInput(input: unknown): string {
  const text = typeof input === 'string' ? input : input instanceof Uint8Array ? Buffer.from(input).toString('latin1') : JSON.stringify(input, jsonReplacer);
  return JSON.stringify((text ?? '').slice(0, 300));
}

/**
 * Run one input through a codec and assert the three properties. Returns normally when they hold; throws a
 * descriptive Error (which fast-check shrinks) when they do not.
 */
export function checkCodec<I>(codec: Codec<I>, input: I): void {
  const entry = statsFor(codec.name);
  const size = sizeOf(input);
  const started = performance.now();
  let result: unknown;
  let thrown: unknown = undefined;
  let threw = false;
  try {
    result = codec.run(input);
  } catch (error) {
    threw = true;
    thrown = error;
  }
  let elapsed = performance.now() - started;
  entry.inputs += 1;
  entry.totalMs += elapsed;
  const bound = CALL_BOUND_MS + (size / 1024) * CALL_MS_PER_KIB;
  if (elapsed > bound) {
    // A garbage-collection pause or the other test worker can stall one call; super-linear work is slow every
    // time. Time the same input once more and keep the faster of the two.
    const again = performance.now();
    try {
      codec.run(input);
    } catch {
      // the outcome was judged on the first call
    }
    elapsed = Math.min(elapsed, performance.now() - again);
  }
  entry.maxCallMs = Math.max(entry.maxCallMs, elapsed);
  if (elapsed > bound) {
    throw new Error(`${codec.name}: one call took ${elapsed.toFixed(0)} ms (> ${bound.toFixed(0)} ms) on ${size} units: ${describeInput(input)}`);
  }
  if (threw) {
    const allowed = codec.errors.some((cls) => thrown instanceof cls);
    const code = (thrown as { code?: unknown } | null)?.code;
    if (!allowed || typeof code !== 'string' || code === '') {
      const what = thrown instanceof Error ? `${thrown.name}: ${thrown.message.slice(0, 200)}` : String(thrown);
      throw new Error(`${codec.name}: threw ${what} (allowed: ${codec.errors.map((c) => c.name).join(', ') || 'nothing'}) on ${describeInput(input)}`);
    }
    const message = (thrown as Error).message;
    if (message.length > MAX_MESSAGE_CHARS) {
      throw new Error(`${codec.name}: error message of ${message.length} characters (> ${MAX_MESSAGE_CHARS}) on ${size} units`);
    }
    entry.namedErrors += 1;
    entry.codes[code] = (entry.codes[code] ?? 0) + 1;
    return;
  }
  entry.returned += 1;
  const limit = codec.maxOutputChars ? codec.maxOutputChars(size) : 8 * size + 16 * 1024;
  const json = JSON.stringify(result, jsonReplacer) ?? '';
  if (json.length > limit) {
    throw new Error(`${codec.name}: output of ${json.length} characters exceeds ${limit} for an input of ${size} units`);
  }
}

/**
 * fc.check with the run count and a time budget; the property is checkCodec over `arbitrary`. A failure is
 * reported with the checkCodec message, the replay seed and path, and a short excerpt of the shrunk input
 * (fast-check's own report prints the whole input, which for a mutated capture is tens of KB).
 */
export function fuzz<I>(codec: Codec<I>, arbitrary: fc.Arbitrary<I>, runs = FUZZ_RUNS, timeLimitMs = PROPERTY_TIME_LIMIT_MS): void {
  const details = fc.check(
    fc.property(arbitrary, (input) => {
      checkCodec(codec, input);
    }),
    // An interrupted property checked fewer inputs than it claims: that is a failure, not a pass (a slowed-down
    // decoder must not turn the suite green by running out of time).
    { numRuns: runs, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: true },
  );
  if (!details.failed) return;
  if (details.interrupted && details.errorInstance === null) {
    throw new Error(`${codec.name}: interrupted by the ${timeLimitMs} ms time limit after ${details.numRuns} of ${runs} runs (seed ${details.seed})`);
  }
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const input = details.counterexample?.[0];
  throw new Error(
    `${cause}
  shrunk input (${sizeOf(input)} units): ${describeInput(input)}
  replay: { seed: ${details.seed}, path: "${details.counterexamplePath ?? ''}" } after ${details.numRuns} runs`,
  );
}

/**
 * Exhaustive, not random: every prefix of every seed (a datagram cut short at any byte). Under the default run
 * count a seed over 4 KiB is cut at every length in its first and last KiB and every 7th byte between (parsing
 * every prefix of a 13 KB capture is 13 000 parses of up to 13 KB); FUZZ_RUNS >= 10000 cuts everything everywhere.
 */
export function checkEveryTruncation(codec: Codec<Uint8Array>, seeds: readonly Buffer[]): number {
  requireSeeds(seeds, `${codec.name} truncations`);
  const exhaustive = FUZZ_RUNS >= 10_000;
  let count = 0;
  for (const seed of seeds) {
    const n = seed.byteLength;
    for (let length = 0; length <= n; length++) {
      if (!exhaustive && n > 4096 && length > 1024 && length < n - 1024 && length % 7 !== 0) continue;
      checkCodec(codec, seed.subarray(0, length));
      count++;
    }
  }
  return count;
}

// The input generators (hostile snippets, mutations of captures, repeated patterns) live in fuzz-inputs.ts.
export * from './fuzz-inputs.js';

/**
 * The seeds a decoder accepts as they are (some captures are negative cases: faults, truncations, HTML pages).
 * Mutating accepted seeds keeps the fuzzer near the paths real devices take; rejected ones are still fuzzed.
 */
export function acceptedBy(seeds: readonly Buffer[], decode: (seed: Buffer) => unknown): Buffer[] {
  return seeds.filter((seed) => {
    try {
      decode(seed);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Sanity check used by every fuzz file: enough seeds decode before mutation (else the fuzzer starts off-target).
 * An empty seed list fails (`atLeast` = `seeds.length` would otherwise pass with zero seeds), and so does a bound
 * below one: at least one seed must decode.
 */
export function expectSeedsAccepted(seeds: readonly Buffer[], decode: (seed: Buffer) => unknown, atLeast: number): void {
  requireSeeds(seeds, 'expectSeedsAccepted');
  expect(atLeast, 'expectSeedsAccepted: at least one seed must be required to decode').toBeGreaterThanOrEqual(1);
  expect(acceptedBy(seeds, decode).length).toBeGreaterThanOrEqual(atLeast);
}

/** A fuzz file whose capture folder moved or whose filter matches nothing must fail, not fuzz nothing. */
export function requireSeeds(seeds: readonly Buffer[], what: string): void {
  if (seeds.length === 0) throw new Error(`${what}: no seeds (the captures it reads are missing or the filter matches none)`);
}

/** Every capture in these folders whose name passes the filter, as bytes (the fuzzer's seeds). */
export function captureSeeds(folders: readonly string[], filter: (name: string) => boolean = () => true): Buffer[] {
  const seeds = folders.flatMap((folder) => listCaptures(folder).filter(filter).map((name) => readCapture(`${folder}/${name}`)));
  requireSeeds(seeds, `captureSeeds(${folders.join(', ')})`);
  return seeds;
}
