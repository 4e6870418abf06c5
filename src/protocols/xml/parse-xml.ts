/**
 * The one XML entry point for network input: a strict one-pass reader (read-tree.ts) that keeps values as strings,
 * matches on local names (namespace prefixes removed: vendors use every prefix imaginable), expands no entity, and
 * refuses DOCTYPE outright (SOAP 1.2 Part 1 §5: a SOAP message MUST NOT contain a DTD; no device needs one, and
 * entity bombs and external entities live there).
 */
import { CodecError } from '../codec-error.js';
import { readXmlTree, type XmlElement } from './read-tree.js';

export type { XmlElement } from './read-tree.js';

export type XmlErrorCode = 'xml-too-large' | 'xml-doctype' | 'xml-malformed' | 'xml-empty' | 'xml-too-deep';

export class XmlDecodeError extends CodecError<XmlErrorCode> {}

export const MAX_XML_BYTES = 1024 * 1024;
const MAX_DEPTH = 64;

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

/** Parse untrusted XML into a small element tree. Throws XmlDecodeError (a named failure) on anything off. */
export function parseXml(input: string | Uint8Array, maxBytes = MAX_XML_BYTES): XmlElement {
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (byteLength > maxBytes) throw new XmlDecodeError('xml-too-large', `XML of ${byteLength} bytes exceeds ${maxBytes}`);
  let text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new XmlDecodeError('xml-doctype', 'XML with a DOCTYPE or ENTITY declaration refused');
  if (text.trim() === '') throw new XmlDecodeError('xml-empty', 'empty XML document');
  const read = readXmlTree(text, MAX_DEPTH);
  if ('root' in read) return read.root;
  const failure = read.failure;
  if (failure.kind === 'too-deep') throw new XmlDecodeError('xml-too-deep', `XML nested deeper than ${MAX_DEPTH} levels`);
  if (failure.kind === 'no-root') throw new XmlDecodeError('xml-empty', 'XML has no root element');
  // The message names at most a 40-character excerpt of a name: it becomes a warning event and a JSON line.
  throw new XmlDecodeError('xml-malformed', `malformed XML: ${failure.message} (line ${lineAt(text, failure.offset)})`);
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
