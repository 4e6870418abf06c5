/**
 * Which lockout policy applies to a device, from its vendor, model and firmware. Unknown vendor or firmware gets the
 * worst case (docs/FIELD-NOTES.md §2: 3 attempts, per source IP, 30 min); a match that rests on something the device did
 * not tell us (Hikvision's hardware platform, a firmware build) is marked as a guess, with the reason.
 */
import type { LockoutInfo, LockoutScope, LockState } from '../../model/device.js';
import { normaliseFirmware } from '../../fingerprint/matchers/firmware.js';
import { normaliseVendor } from '../../model/vendor.js';
import { checkFirmwareRange, parseFirmwareVersion, type FirmwareRange } from './firmware-version.js';
import { knowledgeBase, type KnowledgeBase, type LockoutConfidence, type LockoutRule, type PolicyPlaceholder } from './knowledge-base.js';

export interface LockoutQuery {
  vendor: string | null;
  model: string | null;
  firmware: string | null;
}

export interface LockoutPolicyMatch {
  /** Knowledge-base rule id, or worst-case:unknown-vendor | worst-case:unknown-firmware | worst-case:not-covered. */
  ruleId: string;
  /** One sentence a person can act on. */
  policy: string;
  /** The safe number: the lowest threshold that applies to any account (Hikvision: 5, not admin's 7). */
  maxAttempts: number | null;
  maxAttemptsAdmin: number | null;
  lockSeconds: number | null;
  scope: LockoutScope | null;
  canDisable: boolean | null;
  disableHint: string | null;
  confidence: LockoutConfidence;
  /** True when the match rests on an assumption (platform, firmware build, undocumented numbers, unknown device). */
  guessed: boolean;
  guessReason: string | null;
  source: string;
  /** Rules that match the device exactly as well as ruleId does (Milestone rows R2 and R0 share a firmware). */
  alternativeRuleIds: string[];
  /** Numbers taken from the worst case because the knowledge base does not document them. */
  assumed: Array<'maxAttempts' | 'lockSeconds' | 'scope'>;
}

/** Models and firmware strings are short; longer text is not matched against the rules. */
const MAX_QUERY_TEXT = 256;

/** "30 min", "60 s": minutes only from two minutes up, where they read better than seconds. */
export function formatLockDuration(seconds: number): string {
  return seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function renderPolicy(template: string, values: Record<PolicyPlaceholder, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, key: string) => (key in values ? values[key as PolicyPlaceholder] : whole));
}

function cleanQueryText(text: string | null): string | null {
  if (typeof text !== 'string') return null;
  const cleaned = text.trim();
  return cleaned === '' || cleaned.length > MAX_QUERY_TEXT ? null : cleaned;
}

function sameRange(a: FirmwareRange | null, b: FirmwareRange | null): boolean {
  return a?.min === b?.min && a?.max === b?.max && a?.before === b?.before;
}

function sameConditions(a: LockoutRule, b: LockoutRule): boolean {
  return a.vendor === b.vendor && a.modelPattern?.source === b.modelPattern?.source && sameRange(a.firmware, b.firmware);
}

interface Described {
  vendor: string | null;
  model: string | null;
  firmware: string | null;
}

function placeholders(device: Described, numbers: { admin: number | null; others: number | null; lockSeconds: number | null }, disableHint: string | null): Record<PolicyPlaceholder, string> {
  const parts = [device.vendor, device.model].filter((p): p is string => p !== null);
  return {
    vendor: device.vendor ?? 'Unknown vendor',
    model: device.model ?? '(model unknown)',
    firmware: device.firmware ?? 'unknown',
    device: `${parts.length > 0 ? parts.join(' ') : 'This device'}${device.firmware ? ` firmware ${device.firmware}` : ''}`,
    maxAttempts: numbers.admin === null ? 'an undocumented number of' : String(numbers.admin),
    maxAttemptsOtherUsers: numbers.others === null ? 'an undocumented number' : String(numbers.others),
    lock: numbers.lockSeconds === null ? 'an undocumented time' : formatLockDuration(numbers.lockSeconds),
    disableHint: disableHint ?? 'the device security settings',
  };
}

function worstCase(kb: KnowledgeBase, kind: 'unknownVendor' | 'unknownFirmware' | 'notCovered', device: Described): LockoutPolicyMatch {
  const worst = kb.worstCase;
  const ids = { unknownVendor: 'worst-case:unknown-vendor', unknownFirmware: 'worst-case:unknown-firmware', notCovered: 'worst-case:not-covered' } as const;
  const reasons = {
    unknownVendor: 'the vendor is unknown',
    unknownFirmware: 'the firmware is unknown and every rule for this vendor depends on it',
    notCovered: 'no knowledge-base rule covers this device',
  } as const;
  return {
    ruleId: ids[kind],
    policy: renderPolicy(worst.policies[kind], placeholders(device, { admin: worst.maxAttempts, others: worst.maxAttempts, lockSeconds: worst.lockSeconds }, null)),
    maxAttempts: worst.maxAttempts,
    maxAttemptsAdmin: worst.maxAttempts,
    lockSeconds: worst.lockSeconds,
    scope: worst.scope,
    canDisable: null,
    disableHint: null,
    confidence: worst.confidence,
    guessed: true,
    guessReason: `${reasons[kind]}: assuming the worst case`,
    source: worst.source,
    alternativeRuleIds: [],
    assumed: ['maxAttempts', 'lockSeconds', 'scope'],
  };
}

/** The lockout policy for a device; never throws, falls back to the worst case. */
export function lookupLockout(query: LockoutQuery, kb: KnowledgeBase = knowledgeBase): LockoutPolicyMatch {
  const vendor = normaliseVendor(cleanQueryText(query.vendor));
  const model = cleanQueryText(query.model);
  const firmware = normaliseFirmware(cleanQueryText(query.firmware));
  const device: Described = { vendor, model, firmware };
  if (vendor === null) return worstCase(kb, 'unknownVendor', device);

  const vendorRules = kb.rules.filter((rule) => rule.vendor.toLowerCase() === vendor.toLowerCase());
  if (vendorRules.length === 0) return worstCase(kb, 'notCovered', device);

  const version = parseFirmwareVersion(firmware);
  const test = (rule: LockoutRule): 'in' | 'in-without-build' | 'out' => {
    if (rule.modelPattern && (model === null || !rule.modelPattern.test(model))) return 'out';
    if (!rule.firmware) return 'in';
    if (version === null) return 'out';
    return checkFirmwareRange(version, rule.firmware);
  };
  let winner: LockoutRule | null = null;
  let fit: 'in' | 'in-without-build' | 'out' = 'out';
  for (const rule of vendorRules) {
    fit = test(rule);
    if (fit !== 'out') {
      winner = rule;
      break;
    }
  }
  if (winner === null) {
    const needsFirmware = vendorRules.some((rule) => rule.firmware !== null);
    return worstCase(kb, version === null && needsFirmware ? 'unknownFirmware' : 'notCovered', device);
  }
  const rule = winner;
  const alternatives = vendorRules.filter((other) => other !== rule && sameConditions(rule, other));

  // A lock whose numbers are not documented gets the worst-case numbers, and says so.
  const undocumented = rule.lock !== 'none-documented' && rule.scope !== 'rate' && rule.maxAttempts === null && rule.maxAttemptsOtherUsers === null;
  const assumed: LockoutPolicyMatch['assumed'] = [];
  const admin = rule.maxAttempts ?? (undocumented ? kb.worstCase.maxAttempts : null);
  const others = rule.maxAttemptsOtherUsers ?? (undocumented ? kb.worstCase.maxAttempts : null);
  let lockSeconds = rule.lockSeconds;
  let scope = rule.scope;
  if (undocumented) {
    assumed.push('maxAttempts');
    if (lockSeconds === null) {
      lockSeconds = kb.worstCase.lockSeconds;
      assumed.push('lockSeconds');
    }
    if (scope === null) {
      scope = kb.worstCase.scope;
      assumed.push('scope');
    }
  }
  const thresholds = [admin, others].filter((n): n is number => n !== null);
  const maxAttempts = thresholds.length > 0 ? Math.min(...thresholds) : null;

  const candidates = [rule, ...alternatives];
  const disagree = new Set(candidates.map((r) => r.canDisable)).size > 1;
  const canDisable = disagree ? null : rule.canDisable;

  const reasons: string[] = [];
  const platforms = candidates.map((r) => r.platform).filter((p): p is string => p !== null);
  if (platforms.length > 0) {
    reasons.push(`platform ${[...new Set(platforms)].join(' or ')} assumed from the model family and firmware (Hikvision does not publish a model's platform)`);
  }
  if (fit === 'in-without-build') reasons.push('the device did not report its firmware build');
  if (disagree) reasons.push('the matching rows disagree on whether the lock can be disabled');

  let policy = renderPolicy(rule.policy, placeholders(device, { admin, others, lockSeconds }, rule.disableHint));
  if (reasons.length > 0) policy += ` (guess: ${reasons.join('; ')})`;
  if (undocumented) reasons.push('the threshold is not documented: worst case assumed');

  return {
    ruleId: rule.id,
    policy,
    maxAttempts,
    maxAttemptsAdmin: admin,
    lockSeconds,
    scope,
    canDisable,
    disableHint: canDisable === false ? null : rule.disableHint,
    confidence: rule.confidence,
    guessed: reasons.length > 0 || rule.confidence === 'guess',
    guessReason: reasons.length > 0 ? reasons.join('; ') : rule.confidence === 'guess' ? 'the knowledge-base entry itself is a guess' : null,
    source: candidates.map((r) => r.source).filter((s, i, all) => all.indexOf(s) === i).join(' | '),
    alternativeRuleIds: alternatives.map((r) => r.id),
    assumed,
  };
}

export interface LiveLockState {
  state?: LockState;
  remainingAttempts?: number | null;
  unlockInSeconds?: number | null;
}

function countOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** The device record's lockout view: the policy plus what the device reported about itself, if anything. */
export function toLockoutInfo(match: LockoutPolicyMatch, live?: LiveLockState): LockoutInfo {
  const state: LockState = live?.state === 'locked' || live?.state === 'unlocked' ? live.state : 'unknown';
  return {
    policy: match.policy,
    maxAttempts: match.maxAttempts,
    lockSeconds: match.lockSeconds,
    scope: match.scope,
    canDisable: match.canDisable,
    state,
    remainingAttempts: countOrNull(live?.remainingAttempts),
    unlockInSeconds: countOrNull(live?.unlockInSeconds),
    disableHint: match.disableHint,
    ruleId: match.ruleId,
  };
}

/** A few words for narrow screens: "5 tries/30 min per IP", "rate-limited", "no lock known". */
export function shortPolicy(info: LockoutInfo): string {
  if (info.scope === 'rate') return 'rate-limited';
  if (info.maxAttempts === null) return 'no lock known';
  const tries = `${info.maxAttempts} ${info.maxAttempts === 1 ? 'try' : 'tries'}`;
  const duration = info.lockSeconds === null ? '' : `/${formatLockDuration(info.lockSeconds)}`;
  const per = info.scope === 'source-ip' ? ' per IP' : info.scope === 'account' ? ' per account' : '';
  return `${tries}${duration}${per}`;
}

/** Unknown vendor or firmware: the knowledge base's worst case (3 attempts, per source IP, 30 min). */
export function unknownLockout(): LockoutInfo {
  return toLockoutInfo(lookupLockout({ vendor: null, model: null, firmware: null }));
}
