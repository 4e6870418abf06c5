/**
 * Validation of everything the CLI prints as JSON against schemas/scan.schema.json (the published schema), through
 * ajv: the `--json` document, each `--ndjson` line, `ledger list --json`. Every test that reads such output parses
 * it through these helpers, so a field the code drops, renames or mistypes fails a test rather than a user's script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import type { ScanDocument, ScanEvent } from '../../src/index.js';
import { repoRoot } from './cli.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin));

export const schemaPath = join(repoRoot, 'schemas', 'scan.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $id: string };

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(schema);

type Kind = 'document' | 'event' | 'ledgerList';
const validators: Record<Kind, ValidateFunction> = {
  document: ajv.getSchema(schema.$id)!,
  event: ajv.getSchema(`${schema.$id}#/$defs/event`)!,
  ledgerList: ajv.getSchema(`${schema.$id}#/$defs/ledgerList`)!,
};

/** The schema's complaints about a parsed value ([] when it is valid), one readable line each. */
export function schemaErrors(kind: Kind, value: unknown): string[] {
  const validate = validators[kind];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

function parse(text: string | unknown, what: string): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} is not JSON (${(error as Error).message}): ${text.slice(0, 500)}`);
  }
}

function expectValid(kind: Kind, value: unknown): void {
  expect(schemaErrors(kind, value), `${kind} does not match schemas/scan.schema.json`).toEqual([]);
}

/** Parse (if given text) and validate a `--json` document; returns it typed. */
export function expectValidDocument<T = ScanDocument>(json: string | unknown): T {
  const value = parse(json, 'the --json output');
  expectValid('document', value);
  return value as T;
}

/** Parse (if given text) and validate one `--ndjson` line; returns the event. */
export function expectValidEvent<T = ScanEvent>(line: string | unknown): T {
  const value = parse(line, 'an --ndjson line');
  expectValid('event', value);
  return value as T;
}

/** Every non-empty line of an `--ndjson` stream, each validated; returns the events in order. */
export function expectValidNdjson<T = ScanEvent>(text: string): T[] {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => expectValidEvent<T>(line));
}

/** Parse (if given text) and validate `ledger list --json`. */
export function expectValidLedgerList<T = { ledger: string; attempts: Array<Record<string, unknown>>; damagedLines: number[] }>(json: string | unknown): T {
  const value = parse(json, 'the ledger list --json output');
  expectValid('ledgerList', value);
  return value as T;
}
