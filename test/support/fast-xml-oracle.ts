/**
 * The XML reader oneknock used until its own (src/protocols/xml/read-tree.ts): fast-xml-parser's validator, then
 * its parser with values kept as strings, prefixes removed and entities off, then a conversion to the same tree.
 * Kept for tests only, as the oracle the new reader is compared with (test/fuzz/xml-differential.test.ts).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_XML_BYTES, XmlDecodeError, type XmlElement } from '../../src/protocols/xml/parse-xml.js';

const MAX_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type RawNode = Record<string, unknown>;

function convert(raw: RawNode, depth: number): XmlElement | string | null {
  if (depth > MAX_DEPTH) throw new XmlDecodeError('xml-too-deep', `XML nested deeper than ${MAX_DEPTH} levels`);
  if ('#text' in raw) return String(raw['#text']);
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined) return null;
  const attrsRaw = (raw[':@'] ?? {}) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrsRaw)) {
    // removeNSPrefix drops xmlns declarations' prefix too; keep local attribute names only.
    attributes[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = String(value);
  }
  const element: XmlElement = { name: localName(name), attributes, children: [], text: '' };
  const kids = raw[name];
  if (Array.isArray(kids)) {
    for (const kid of kids as RawNode[]) {
      const converted = convert(kid, depth + 1);
      if (typeof converted === 'string') element.text += converted;
      else if (converted) element.children.push(converted);
    }
  }
  return element;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/**
 * fast-xml-parser quotes the input in its messages (an unclosed-tags error lists every open tag: 64 KB of `<a>`
 * gave a 100 KB message). The message becomes a warning event and a JSON line, so only its head is kept.
 */
const MAX_DETAIL_CHARS = 200;
function boundedDetail(message: string): string {
  return message.length > MAX_DETAIL_CHARS ? `${message.slice(0, MAX_DETAIL_CHARS)}…` : message;
}

/** Parse untrusted XML into a small element tree. Throws XmlDecodeError (a named failure) on anything off. */
export function parseXmlWithFastXmlParser(input: string | Uint8Array, maxBytes = MAX_XML_BYTES): XmlElement {
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (byteLength > maxBytes) throw new XmlDecodeError('xml-too-large', `XML of ${byteLength} bytes exceeds ${maxBytes}`);
  let text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new XmlDecodeError('xml-doctype', 'XML with a DOCTYPE or ENTITY declaration refused');
  if (text.trim() === '') throw new XmlDecodeError('xml-empty', 'empty XML document');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new XmlDecodeError('xml-malformed', `malformed XML: ${boundedDetail(valid.err.msg)} (line ${valid.err.line})`);
  }
  let raw: unknown;
  try {
    raw = parser.parse(text);
  } catch (error) {
    throw new XmlDecodeError('xml-malformed', `malformed XML: ${boundedDetail((error as Error).message)}`);
  }
  const roots = (Array.isArray(raw) ? raw : []) as RawNode[];
  for (const node of roots) {
    const converted = convert(node, 0);
    if (converted && typeof converted !== 'string') return converted;
  }
  throw new XmlDecodeError('xml-empty', 'XML has no root element');
}

