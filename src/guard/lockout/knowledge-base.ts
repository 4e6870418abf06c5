/**
 * The lockout knowledge base: what each vendor does after failed logins, with the source of every entry. The data
 * lives in knowledge-base.json so it can be reviewed and updated without reading code; it is validated here once,
 * at import, so a bad edit fails the tests instead of producing a wrong policy at scan time.
 */
import knowledgeBaseData from './knowledge-base.json' with { type: 'json' };
import { OneknockError } from '../../model/errors.js';
import type { LockoutScope } from '../../model/device.js';
import { parseFirmwareVersion, type FirmwareRange } from './firmware-version.js';

export type LockoutConfidence = 'documented' | 'reported' | 'guess';

/** 'on': the device locks (by default); 'optional': only when the owner enabled it; 'none-documented': no lock known. */
export type LockMode = 'on' | 'optional' | 'none-documented';

export interface LockoutRule {
  id: string;
  /** Canonical vendor name, as normaliseVendor spells it. */
  vendor: string;
  /** Case-insensitive; null = any model, including an unknown one. */
  modelPattern: RegExp | null;
  /** Null = any firmware, including an unknown one. */
  firmware: FirmwareRange | null;
  /** Hikvision hardware platform of a Milestone KB row (R0…R6); never public for a model, so always a guess. */
  platform: string | null;
  lock: LockMode;
  /** Threshold for the admin account (Hikvision counts admin separately); null = not documented. */
  maxAttempts: number | null;
  maxAttemptsOtherUsers: number | null;
  lockSeconds: number | null;
  scope: LockoutScope | null;
  canDisable: boolean | null;
  disableHint: string | null;
  confidence: LockoutConfidence;
  /** One sentence; placeholders in braces are filled by the lookup (see POLICY_PLACEHOLDERS). */
  policy: string;
  source: string;
  notes: string | null;
}

export interface WorstCase {
  maxAttempts: number;
  lockSeconds: number;
  scope: LockoutScope;
  confidence: LockoutConfidence;
  source: string;
  policies: { unknownVendor: string; unknownFirmware: string; notCovered: string };
}

export interface KnowledgeBase {
  version: 1;
  updated: string;
  worstCase: WorstCase;
  /** Tried in order; the first match wins, so specific rows come before general ones. */
  rules: LockoutRule[];
}

export const POLICY_PLACEHOLDERS = ['vendor', 'model', 'firmware', 'device', 'maxAttempts', 'maxAttemptsOtherUsers', 'lock', 'disableHint'] as const;
export type PolicyPlaceholder = (typeof POLICY_PLACEHOLDERS)[number];

export class KnowledgeBaseError extends OneknockError {
  constructor(message: string) {
    super('E_LOCKOUT_KB', message);
    this.name = 'KnowledgeBaseError';
  }
}

const SCOPES: ReadonlySet<string> = new Set(['source-ip', 'account', 'rate']);
const CONFIDENCES: ReadonlySet<string> = new Set(['documented', 'reported', 'guess']);
const LOCK_MODES: ReadonlySet<string> = new Set(['on', 'optional', 'none-documented']);
const RULE_KEYS: ReadonlySet<string> = new Set([
  'id', 'vendor', 'modelPattern', 'firmware', 'platform', 'lock', 'maxAttempts', 'maxAttemptsOtherUsers', 'lockSeconds',
  'scope', 'canDisable', 'disableHint', 'confidence', 'policy', 'source', 'notes',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, message: string): never {
  throw new KnowledgeBaseError(`lockout knowledge base: ${where}: ${message}`);
}

function text(entry: Json, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value.trim() === '') fail(where, `${key} must be a non-empty string`);
  return value;
}

function optionalText(entry: Json, key: string, where: string): string | null {
  const value = entry[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') fail(where, `${key} must be a non-empty string or null`);
  return value;
}

function count(entry: Json, key: string, where: string, required: boolean): number | null {
  const value = entry[key];
  if ((value === undefined || value === null) && !required) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) fail(where, `${key} must be a positive integer${required ? '' : ' or null'}`);
  return value;
}

function oneOf<T extends string>(entry: Json, key: string, allowed: ReadonlySet<string>, where: string, nullable: boolean): T | null {
  const value = entry[key];
  if ((value === undefined || value === null) && nullable) return null;
  if (typeof value !== 'string' || !allowed.has(value)) fail(where, `${key} must be one of ${[...allowed].join(', ')}${nullable ? ' or null' : ''}`);
  return value as T;
}

function checkTemplate(template: string, where: string): string {
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (!(POLICY_PLACEHOLDERS as readonly string[]).includes(match[1] ?? '')) fail(where, `unknown placeholder {${match[1]}} in policy`);
  }
  return template;
}

function parseRange(value: unknown, where: string): FirmwareRange | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) fail(where, 'firmware must be an object with min/max/before');
  const range: FirmwareRange = {};
  for (const [key, bound] of Object.entries(value)) {
    if (key !== 'min' && key !== 'max' && key !== 'before') fail(where, `unknown firmware bound ${key}`);
    if (typeof bound !== 'string' || parseFirmwareVersion(bound) === null) fail(where, `firmware.${key} is not a version: ${String(bound)}`);
    range[key] = bound;
  }
  if (Object.keys(range).length === 0) fail(where, 'firmware range has no bound');
  return range;
}

function parseRule(value: unknown, index: number): LockoutRule {
  let where = `rules[${index}]`;
  if (!isObject(value)) fail(where, 'not an object');
  const id = text(value, 'id', where);
  where = `rule ${id}`;
  for (const key of Object.keys(value)) if (!RULE_KEYS.has(key)) fail(where, `unknown key ${key}`);
  const patternSource = optionalText(value, 'modelPattern', where);
  let modelPattern: RegExp | null = null;
  if (patternSource !== null) {
    try {
      modelPattern = new RegExp(patternSource, 'i');
    } catch {
      fail(where, `modelPattern is not a regular expression: ${patternSource}`);
    }
  }
  const canDisable = value['canDisable'];
  if (canDisable !== true && canDisable !== false && canDisable !== null) fail(where, 'canDisable must be true, false or null');
  const rule: LockoutRule = {
    id,
    vendor: text(value, 'vendor', where),
    modelPattern,
    firmware: parseRange(value['firmware'], where),
    platform: optionalText(value, 'platform', where),
    lock: oneOf<LockMode>(value, 'lock', LOCK_MODES, where, false) as LockMode,
    maxAttempts: count(value, 'maxAttempts', where, false),
    maxAttemptsOtherUsers: count(value, 'maxAttemptsOtherUsers', where, false),
    lockSeconds: count(value, 'lockSeconds', where, false),
    scope: oneOf<LockoutScope>(value, 'scope', SCOPES, where, true),
    canDisable,
    disableHint: optionalText(value, 'disableHint', where),
    confidence: oneOf<LockoutConfidence>(value, 'confidence', CONFIDENCES, where, false) as LockoutConfidence,
    policy: checkTemplate(text(value, 'policy', where), where),
    source: text(value, 'source', where),
    notes: optionalText(value, 'notes', where),
  };
  if (rule.lock === 'none-documented' && (rule.maxAttempts !== null || rule.lockSeconds !== null || rule.scope !== null)) {
    fail(where, 'a rule without a documented lock cannot carry a threshold, duration or scope');
  }
  if (rule.canDisable === true && rule.lock === 'none-documented') fail(where, 'nothing to disable when no lock is documented');
  return rule;
}

function parseWorstCase(value: unknown): WorstCase {
  const where = 'worstCase';
  if (!isObject(value)) fail(where, 'missing');
  const policies = value['policies'];
  if (!isObject(policies)) fail(where, 'policies missing');
  return {
    maxAttempts: count(value, 'maxAttempts', where, true) as number,
    lockSeconds: count(value, 'lockSeconds', where, true) as number,
    scope: oneOf<LockoutScope>(value, 'scope', SCOPES, where, false) as LockoutScope,
    confidence: oneOf<LockoutConfidence>(value, 'confidence', CONFIDENCES, where, false) as LockoutConfidence,
    source: text(value, 'source', where),
    policies: {
      unknownVendor: checkTemplate(text(policies, 'unknownVendor', where), where),
      unknownFirmware: checkTemplate(text(policies, 'unknownFirmware', where), where),
      notCovered: checkTemplate(text(policies, 'notCovered', where), where),
    },
  };
}

/** Validate knowledge-base JSON; throws KnowledgeBaseError (code E_LOCKOUT_KB) naming the first bad entry. */
export function parseKnowledgeBase(data: unknown): KnowledgeBase {
  if (!isObject(data)) fail('root', 'not an object');
  if (data['version'] !== 1) fail('root', `unsupported version ${String(data['version'])}`);
  const updated = text(data, 'updated', 'root');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(updated)) fail('root', 'updated must be YYYY-MM-DD');
  const rawRules = data['rules'];
  if (!Array.isArray(rawRules) || rawRules.length === 0) fail('root', 'rules must be a non-empty array');
  const rules = rawRules.map((rule, index) => parseRule(rule, index));
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.id)) fail(`rule ${rule.id}`, 'duplicate id');
    seen.add(rule.id);
  }
  return { version: 1, updated, worstCase: parseWorstCase(data['worstCase']), rules };
}

/** The knowledge base shipped with oneknock. */
export const knowledgeBase: KnowledgeBase = parseKnowledgeBase(knowledgeBaseData);
