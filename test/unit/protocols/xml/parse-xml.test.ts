import { describe, expect, it } from 'vitest';
import { XmlDecodeError, parseXml } from '../../../../src/protocols/xml/parse-xml.js';
import { readCapture } from '../../../support/captures.js';

function decodeError(input: string | Uint8Array): XmlDecodeError {
  try {
    parseXml(input);
  } catch (error) {
    if (error instanceof XmlDecodeError) return error;
    throw error;
  }
  throw new Error('expected parseXml to throw');
}

describe('parseXml on hostile input', () => {
  it('reads a real capture', () => {
    const root = parseXml(readCapture('ws-discovery/axis-M1034-W-probematch-kupnp.xml'));
    expect(root.name).toBe('Envelope');
  });

  // Regression (issue 8 fuzzing): fast-xml-parser's validator lists every unclosed tag in its message, so a
  // 60 KB datagram of "<a>" produced a ~100 KB XmlDecodeError message, which became a warning line as big.
  it('keeps the error message short however many tags are left open', () => {
    const error = decodeError('<a>'.repeat(20_000));
    expect(error.code).toBe('xml-malformed');
    expect(error.message.length).toBeLessThan(400);
  });

  it('keeps the error message short when the capture is followed by junk', () => {
    const capture = readCapture('ws-discovery/axis-M1034-W-probematch-kupnp.xml').toString('utf8');
    const error = decodeError(capture.replace('</SOAP-ENV:Envelope>', '') + '<x>'.repeat(5_000));
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a DOCTYPE with entity declarations before parsing', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(decodeError(bomb).code).toBe('xml-doctype');
    expect(decodeError('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>').code).toBe('xml-doctype');
  });

  it('reports nesting deeper than 64 levels by name', () => {
    expect(decodeError(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`).code).toBe('xml-too-deep');
  });
});
