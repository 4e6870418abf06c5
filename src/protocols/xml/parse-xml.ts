/**
 * The one XML entry point for network input. fast-xml-parser with values kept as strings, namespace prefixes
 * removed (we match on local names: vendors use every prefix imaginable), entity processing off, and DOCTYPE
 * refused outright (SOAP 1.2 Part 1 §5: a SOAP message MUST NOT contain a DTD; no device needs one, and entity
 * bombs and external entities live there).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CodecError } from '../codec-error.js';

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content, untrimmed. */
  text: string;
}

export type XmlErrorCode = 'xml-too-large' | 'xml-doctype' | 'xml-malformed' | 'xml-empty' | 'xml-too-deep';

export class XmlDecodeError extends CodecError<XmlErrorCode> {}

export const MAX_XML_BYTES = 1024 * 1024;
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
export function parseXml(input: string | Uint8Array, maxBytes = MAX_XML_BYTES): XmlElement {
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

/** First descendant (depth-first, including the element itself) with this local name, case-sensitive. */
export function findElement(root: XmlElement, name: string): XmlElement | undefined {
  if (root.name === name) return root;
  for (const child of root.children) {
    const hit = findElement(child, name);
    if (hit) return hit;
  }
  return undefined;
}

/** Every descendant with this local name, in document order (not descending into matches). */
export function findElements(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    if (el.name === name) {
      out.push(el);
      return;
    }
    el.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Direct child by local name. */
export function childElement(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return parent?.children.find((c) => c.name === name);
}

/** Trimmed text of the first descendant with this name, or undefined when absent or empty. */
export function textOf(root: XmlElement | undefined, name: string): string | undefined {
  if (!root) return undefined;
  const el = findElement(root, name);
  if (!el) return undefined;
  const value = decodeXmlText(el.text).trim();
  return value === '' ? undefined : value;
}

/**
 * Entity processing is off in the parser (entity-expansion attacks); decode only the five predefined XML
 * entities and numeric character references here, which cannot expand.
 */
export function decodeXmlText(value: string): string {
  return value.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
    }
  });
}

/** Escape text for inclusion in XML we build. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
