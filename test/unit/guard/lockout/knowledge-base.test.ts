import { describe, expect, it } from 'vitest';
import knowledgeBaseJson from '../../../../src/guard/lockout/knowledge-base.json' with { type: 'json' };
import { KnowledgeBaseError, knowledgeBase, parseKnowledgeBase } from '../../../../src/guard/lockout/knowledge-base.js';
import { normaliseVendor } from '../../../../src/model/vendor.js';

/** Milestone KB 000002183, Hikvision table, row by row (docs/FIELD-NOTES.md §2). */
const MILESTONE_ROWS = [
  { family: 'DF', platform: 'R3', firmware: '5.3.8 build 150722', canDisable: true },
  { family: 'DE', platform: 'R0', firmware: '5.3.8 build 150707', canDisable: false },
  { family: null, platform: 'R2', firmware: '5.3.0 build 150513', canDisable: true },
  { family: null, platform: 'R0', firmware: '5.3.0 build 150513', canDisable: true },
  { family: null, platform: 'R6', firmware: '5.3.8 build 151224', canDisable: true },
  { family: 'DF', platform: 'R4', firmware: '5.3.10 build 150917', canDisable: true },
  { family: 'DE', platform: 'R0', firmware: '5.3.9 build 150910', canDisable: false },
] as const;

function clone(): Record<string, unknown> & { rules: Array<Record<string, unknown>> } {
  return structuredClone(knowledgeBaseJson) as unknown as Record<string, unknown> & { rules: Array<Record<string, unknown>> };
}

function expectRejected(data: unknown, message: RegExp): void {
  let error: unknown;
  try {
    parseKnowledgeBase(data);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(KnowledgeBaseError);
  expect((error as KnowledgeBaseError).code).toBe('E_LOCKOUT_KB');
  expect((error as Error).message).toMatch(message);
}

describe('the shipped knowledge base', () => {
  it('is versioned and dated', () => {
    expect(knowledgeBase.version).toBe(1);
    expect(knowledgeBase.updated).toBe('2026-11-24');
  });

  it('names a source for every rule and for the worst case', () => {
    for (const rule of knowledgeBase.rules) expect(rule.source, rule.id).toMatch(/docs\/FIELD-NOTES\.md §|Milestone KB 000002183|Hikvision/);
    expect(knowledgeBase.worstCase.source).toMatch(/docs\/FIELD-NOTES\.md §2/);
  });

  it('spells every vendor the way normaliseVendor does, so lookups can find it', () => {
    for (const rule of knowledgeBase.rules) expect(normaliseVendor(rule.vendor), rule.id).toBe(rule.vendor);
  });

  it('has the worst case of docs/FIELD-NOTES.md §2: 3 attempts, per source IP, 30 min', () => {
    expect(knowledgeBase.worstCase).toMatchObject({ maxAttempts: 3, lockSeconds: 1800, scope: 'source-ip' });
  });

  it.each(MILESTONE_ROWS)('carries Milestone row $family $platform $firmware (can disable: $canDisable)', (row) => {
    const rules = knowledgeBase.rules.filter(
      (r) => r.platform === row.platform && r.firmware?.min === row.firmware && r.firmware?.max === row.firmware,
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0]!;
    expect(rule.vendor).toBe('Hikvision');
    expect(rule.canDisable).toBe(row.canDisable);
    expect(rule.source).toContain('Milestone KB 000002183');
    if (row.family === null) expect(rule.modelPattern).toBeNull();
    else expect(rule.modelPattern?.source).toBe(`^DS-2D${row.family.slice(1)}`);
  });

  it('carries a rule for every vendor row of docs/FIELD-NOTES.md §2', () => {
    const byVendor = (vendor: string) => knowledgeBase.rules.filter((r) => r.vendor === vendor);
    expect(byVendor('Hikvision').find((r) => r.firmware?.min === '5.3.0' && r.firmware.before === undefined)).toMatchObject({
      maxAttempts: 7,
      maxAttemptsOtherUsers: 5,
      lockSeconds: 1800,
      scope: 'source-ip',
      lock: 'on',
    });
    expect(byVendor('Hikvision').find((r) => r.firmware?.before === '5.3.0')).toMatchObject({ lock: 'none-documented', maxAttempts: null });
    for (const vendor of ['Dahua', 'Amcrest', 'Lorex']) {
      expect(byVendor(vendor)[0], vendor).toMatchObject({ maxAttempts: 5, lockSeconds: 1800, scope: 'source-ip' });
    }
    expect(byVendor('Axis')[0]).toMatchObject({ scope: 'rate', maxAttempts: null });
    expect(byVendor('Hanwha')[0]).toMatchObject({ maxAttempts: 5, lockSeconds: 30, scope: 'account' });
    expect(byVendor('Sony')[0]).toMatchObject({ maxAttempts: 8, lockSeconds: 60 });
    expect(byVendor('Reolink')[0]).toMatchObject({ lock: 'optional', canDisable: true });
    expect(byVendor('Bosch')[0]).toMatchObject({ firmware: { min: '6.30' }, maxAttempts: null, confidence: 'guess' });
  });
});

describe('parseKnowledgeBase refuses a bad edit, naming the entry', () => {
  it('accepts the shipped JSON', () => {
    expect(parseKnowledgeBase(clone()).rules.length).toBe(knowledgeBase.rules.length);
  });

  it('refuses a wrong version or a missing date', () => {
    expectRejected({ ...clone(), version: 2 }, /unsupported version 2/);
    expectRejected({ ...clone(), updated: 'yesterday' }, /YYYY-MM-DD/);
    expectRejected(null, /not an object/);
    expectRejected([], /not an object/);
  });

  it('refuses a rule without a source', () => {
    const data = clone();
    delete data.rules[0]!['source'];
    expectRejected(data, /rule hikvision-recorder: source must be a non-empty string/);
  });

  it('refuses duplicate ids, unknown keys and bad enums', () => {
    const duplicate = clone();
    duplicate.rules[1]!['id'] = duplicate.rules[0]!['id'];
    expectRejected(duplicate, /duplicate id/);

    const unknownKey = clone();
    unknownKey.rules[0]!['maxAttempt'] = 3;
    expectRejected(unknownKey, /unknown key maxAttempt/);

    const scope = clone();
    scope.rules[1]!['scope'] = 'ip';
    expectRejected(scope, /scope must be one of/);

    const confidence = clone();
    confidence.rules[1]!['confidence'] = 'sure';
    expectRejected(confidence, /confidence must be one of/);

    const canDisable = clone();
    canDisable.rules[1]!['canDisable'] = 'yes';
    expectRejected(canDisable, /canDisable must be true, false or null/);
  });

  it('refuses bad numbers, regexes, firmware bounds and placeholders', () => {
    const attempts = clone();
    attempts.rules[1]!['maxAttempts'] = -1;
    expectRejected(attempts, /maxAttempts must be a positive integer/);

    const pattern = clone();
    pattern.rules[1]!['modelPattern'] = '^DS-(';
    expectRejected(pattern, /modelPattern is not a regular expression/);

    const firmware = clone();
    firmware.rules[1]!['firmware'] = { min: 'latest' };
    expectRejected(firmware, /firmware.min is not a version/);

    const bound = clone();
    bound.rules[1]!['firmware'] = { exactly: '5.3.0' };
    expectRejected(bound, /unknown firmware bound exactly/);

    const placeholder = clone();
    placeholder.rules[1]!['policy'] = 'Hikvision: {attempts} failures';
    expectRejected(placeholder, /unknown placeholder \{attempts\}/);
  });

  it('refuses a rule that claims numbers while documenting no lock', () => {
    const data = clone();
    const rule = data.rules.find((r) => r['lock'] === 'none-documented')!;
    rule['maxAttempts'] = 5;
    expectRejected(data, /without a documented lock cannot carry a threshold/);
  });
});
