/**
 * parseXml's own reader (src/protocols/xml/read-tree.ts) against the fast-xml-parser pipeline it replaced
 * (test/support/fast-xml-oracle.ts): the same tree for every capture, never laxer on damaged input, and the same
 * tree whenever both accept. Where they part, the reader follows XML 1.0 and the oracle does not: it takes a
 * second root element, text or CDATA after the root, names with two colons and quotes inside processing
 * instructions, and renames an element called `toString` to `__toString`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseXml } from '../../src/protocols/xml/parse-xml.js';
import { parseXmlWithFastXmlParser } from '../support/fast-xml-oracle.js';
import { FUZZ_RUNS, FUZZ_TEST_TIMEOUT_MS, captureSeeds, textOrBytes } from './fuzz-kit.js';

const seeds = captureSeeds(['onvif-device', 'ws-discovery', 'hikvision', 'upnp', 'synthetic-format-references'], (name) => name.endsWith('.xml'));
const XML_ALPHABET = ['<a>', '</a>', '<a/>', '<b x="1">', '</b>', '<', '>', '&', '&amp;', '&#x41;', '"', "'", '=', ' ', '\r\n', 'a:b', '<!--', '-->', '<![CDATA[x]]>', '<?x?>', 'x="y"'];

type Outcome = { ok: true; tree: unknown } | { ok: false; code: string; message: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { ok: true, tree: read() };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? 'thrown', message: (error as Error).message };
  }
}

/** Inputs on which the oracle's known quirks (above) decide the outcome. */
function oracleQuirk(input: string | Uint8Array, oracle: Outcome): boolean {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  return text.includes('toString') || text.includes('\uFEFF') || (!oracle.ok && oracle.message.includes('Pi Tag is not closed'));
}

describe('parseXml against fast-xml-parser', () => {
  it('reads every capture to the same tree', () => {
    let compared = 0;
    for (const seed of seeds) {
      const ours = outcome(() => parseXml(seed));
      const theirs = outcome(() => parseXmlWithFastXmlParser(seed));
      expect(ours, seed.toString('utf8').slice(0, 120)).toEqual(theirs.ok ? theirs : expect.objectContaining({ ok: false, code: theirs.code }));
      if (ours.ok) compared++;
    }
    // All but the captures that are excerpts or truncated on purpose (both refuse those, above).
    expect(compared).toBeGreaterThanOrEqual(seeds.length - 3);
  });

  it('is never laxer, and agrees on the tree whenever both accept, on damaged captures and arbitrary input', () => {
    let bothAccepted = 0;
    fc.assert(
      fc.property(textOrBytes(seeds, XML_ALPHABET), (input) => {
        const ours = outcome(() => parseXml(input));
        const theirs = outcome(() => parseXmlWithFastXmlParser(input));
        if (oracleQuirk(input, theirs)) return true;
        if (!ours.ok) return ['xml-malformed', 'xml-too-deep', 'xml-empty', 'xml-doctype', 'xml-too-large'].includes(ours.code);
        if (!theirs.ok) return false;
        bothAccepted++;
        expect(ours.tree).toEqual(theirs.tree);
        return true;
      }),
      { numRuns: Math.max(2_000, FUZZ_RUNS) },
    );
    expect(bothAccepted).toBeGreaterThan(50);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('refuses what XML 1.0 refuses where the oracle let it through', () => {
    for (const input of ['<a>1</a><b/>', '<a/> x', '<a/><![CDATA[x]]>', '<a:b:c/>', '<a x="1"y="2"/>', '<xmlns:a/>', '<a><?xml version="1.0"?></a>', '<__proto__/>', '<a constructor="x"/>']) {
      expect(outcome(() => parseXml(input)), input).toMatchObject({ ok: false, code: 'xml-malformed' });
    }
  });
});
