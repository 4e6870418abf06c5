/**
 * A strict, non-validating XML reader for network input: one pass over the text, building the element tree
 * parse-xml.ts returns. It knows elements, attributes, text, CDATA, comments and processing instructions; it has
 * no DTD support at all (parse-xml.ts refuses DOCTYPE and ENTITY before this runs) and expands no entity — text
 * and attribute values are returned as written, and decodeXmlText decodes the predefined ones on reading.
 *
 * Why not a library: fast-xml-parser (validator, then parser, then a conversion to this tree) spent ~260 µs on a
 * 5.7 KB GetCapabilities answer and was a quarter of a 10,000-device scan's CPU (bench/README.md). This reader
 * does the same work in one pass over the string, without intermediate objects.
 *
 * What it refuses, each as a named failure: an unclosed or mismatched tag, a second root element, text outside
 * the root, a `<` not starting a tag, an `&` in text that does not start a reference, an attribute without a quoted
 * value or given twice, a name that is not an XML name (or has more than one colon, which XML Namespaces forbids),
 * an XML declaration anywhere but at the start, and names that are object-prototype keys (`__proto__`,
 * `constructor`, `prototype`). Nesting deeper than `maxDepth` is reported as such once the
 * document is otherwise well-formed.
 */

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text content (CDATA included), untrimmed. */
  text: string;
}

export type XmlReadFailure = { kind: 'malformed'; message: string; offset: number } | { kind: 'too-deep' } | { kind: 'no-root' };

// XML 1.0 §2.3 NameStartChar / NameChar (the Basic Multilingual Plane; surrogate pairs are accepted as name chars).
const NAME = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDBFF][-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\uD800-\uDFFF]*$/;
const ASCII_NAME = /^[A-Z_a-z][-.0-9A-Z_a-z]*(?::[A-Z_a-z][-.0-9A-Z_a-z]*)?$/;
/** An `&` in text must start a character or entity reference. */
const REFERENCE = /&(?:#[0-9]+|#x[0-9A-Fa-f]+|[:A-Z_a-z][-.0-9:A-Z_a-z]*);/y;

class Malformed extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** Ends a tag or attribute name. */
function endsName(code: number): boolean {
  return isSpace(code) || code === 0x3e /* > */ || code === 0x2f /* / */ || code === 0x3d /* = */ || Number.isNaN(code);
}

/** Names that would reach an object's prototype machinery if a consumer ever keyed an object by them. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function checkName(name: string, offset: number, what: string): void {
  if (name === '') throw new Malformed(`${what} without a name`, offset);
  if (RESERVED_NAMES.has(localName(name))) throw new Malformed(`${what} named '${name}' refused`, offset);
  if (ASCII_NAME.test(name)) return;
  if (!NAME.test(name)) throw new Malformed(`${what} '${name.slice(0, 40)}' is not an XML name`, offset);
  if (name.indexOf(':') !== name.lastIndexOf(':') || name.startsWith(':') || name.endsWith(':')) {
    throw new Malformed(`${what} '${name.slice(0, 40)}' is not a namespace-qualified name`, offset);
  }
}

/**
 * A copy that does not point into the document: V8 makes a substring a view of the string it was cut from, so one
 * model name kept from a response would keep the whole response alive (~6 KB for a GetCapabilities answer).
 */
function detached(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

/** Checks every `&` in a run of text is a reference (the text itself stays as written). */
function checkReferences(text: string, offset: number): void {
  let at = text.indexOf('&');
  while (at >= 0) {
    REFERENCE.lastIndex = at;
    if (!REFERENCE.test(text)) throw new Malformed(`'&' that starts no reference`, offset + at);
    at = text.indexOf('&', REFERENCE.lastIndex);
  }
}

/** The first root element of `text` (already BOM-stripped and free of DOCTYPE/ENTITY), or why there is none. */
export function readXmlTree(source: string, maxDepth: number): { root: XmlElement } | { failure: XmlReadFailure } {
  const text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  try {
    const root = read(text, maxDepth);
    return root === 'too-deep' ? { failure: { kind: 'too-deep' } } : root ? { root } : { failure: { kind: 'no-root' } };
  } catch (error) {
    if (error instanceof Malformed) return { failure: { kind: 'malformed', message: error.message, offset: error.offset } };
    throw error;
  }
}

function read(text: string, maxDepth: number): XmlElement | null | 'too-deep' {
  const length = text.length;
  /** Open elements, innermost last (null past maxDepth: checked for well-formedness, not built). */
  const open: Array<XmlElement | null> = [];
  const openNames: string[] = [];
  let root: XmlElement | null = null;
  let tooDeep = false;
  let pos = 0;
  const addText = (from: number, to: number): void => {
    if (from >= to) return;
    const run = text.slice(from, to);
    if (open.length === 0) {
      for (let i = 0; i < run.length; i++) {
        if (!isSpace(run.charCodeAt(i))) throw new Malformed(root ? 'text after the root element' : 'text before the root element', from + i);
      }
      return;
    }
    checkReferences(run, from);
    appendText(run);
  };
  const appendText = (run: string): void => {
    const parent = open[open.length - 1];
    // Text in the deepest element allowed is a level deeper still.
    if (open.length > maxDepth) tooDeep = true;
    if (parent) parent.text += run;
  };
  while (pos < length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      addText(pos, length);
      break;
    }
    addText(pos, lt);
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) throw new Malformed('unclosed comment', lt);
        pos = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (open.length === 0) throw new Malformed('CDATA outside the root element', lt);
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) throw new Malformed('unclosed CDATA section', lt);
        appendText(text.slice(lt + 9, end));
        pos = end + 3;
      } else {
        throw new Malformed(`'<!' that starts neither a comment nor CDATA`, lt);
      }
    } else if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) throw new Malformed('unclosed processing instruction', lt);
      let targetEnd = lt + 2;
      while (targetEnd < end && !isSpace(text.charCodeAt(targetEnd))) targetEnd++;
      const target = text.slice(lt + 2, targetEnd);
      checkName(target, lt, 'processing instruction');
      if (target.toLowerCase() === 'xml' && lt !== 0) throw new Malformed('XML declaration allowed only at the start of the document', lt);
      pos = end + 2;
    } else if (next === 0x2f /* / */) {
      let nameEnd = lt + 2;
      while (!endsName(text.charCodeAt(nameEnd))) nameEnd++;
      const name = text.slice(lt + 2, nameEnd);
      let close = nameEnd;
      while (isSpace(text.charCodeAt(close))) close++;
      if (text.charCodeAt(close) !== 0x3e) throw new Malformed(`closing tag '${name.slice(0, 40)}' not ended by '>'`, lt);
      const expected = openNames.pop();
      if (expected === undefined) throw new Malformed(`closing tag '${name.slice(0, 40)}' without an opening tag`, lt);
      if (expected !== name) throw new Malformed(`closing tag '${name.slice(0, 40)}' where '${expected.slice(0, 40)}' was open`, lt);
      const closed = open.pop();
      if (closed && closed.text !== '') closed.text = detached(closed.text);
      pos = close + 1;
    } else {
      pos = openTag(lt);
    }
  }
  if (openNames.length > 0) throw new Malformed(`unclosed tag '${openNames[openNames.length - 1]!.slice(0, 40)}'`, length);
  if (tooDeep) return 'too-deep';
  return root;

  /** An opening or empty-element tag at `lt`; returns the position after it. */
  function openTag(lt: number): number {
    let at = lt + 1;
    while (!endsName(text.charCodeAt(at))) at++;
    const rawName = text.slice(lt + 1, at);
    if (rawName === '') throw new Malformed(isSpace(text.charCodeAt(at)) ? `space after '<'` : `'<' that starts no tag`, lt);
    checkName(rawName, lt, 'tag');
    if (rawName.startsWith('xmlns:')) throw new Malformed(`tag '${rawName.slice(0, 40)}' uses the reserved prefix xmlns`, lt);
    if (open.length === 0 && root) throw new Malformed('a second root element', lt);
    const depth = open.length;
    const build = depth <= maxDepth && (depth === 0 || open[depth - 1] !== null);
    if (!build) tooDeep = true;
    const attributes: Record<string, string> = {};
    const seen = new Set<string>();
    for (;;) {
      const before = at;
      while (isSpace(text.charCodeAt(at))) at++;
      const code = text.charCodeAt(at);
      if (Number.isNaN(code)) throw new Malformed(`tag '${rawName.slice(0, 40)}' not closed`, lt);
      if (code === 0x3e /* > */ || (code === 0x2f && text.charCodeAt(at + 1) === 0x3e)) break;
      if (code === 0x2f) throw new Malformed(`'/' inside tag '${rawName.slice(0, 40)}'`, at);
      if (at === before) throw new Malformed(`no space before an attribute of '${rawName.slice(0, 40)}'`, at);
      const nameStart = at;
      while (!endsName(text.charCodeAt(at))) at++;
      const attrName = text.slice(nameStart, at);
      checkName(attrName, nameStart, 'attribute');
      while (isSpace(text.charCodeAt(at))) at++;
      if (text.charCodeAt(at) !== 0x3d /* = */) throw new Malformed(`attribute '${attrName.slice(0, 40)}' without a value`, nameStart);
      at++;
      while (isSpace(text.charCodeAt(at))) at++;
      const quote = text.charCodeAt(at);
      if (quote !== 0x22 && quote !== 0x27) throw new Malformed(`attribute '${attrName.slice(0, 40)}' without a quoted value`, nameStart);
      const valueEnd = text.indexOf(quote === 0x22 ? '"' : "'", at + 1);
      if (valueEnd < 0) throw new Malformed(`attribute '${attrName.slice(0, 40)}' value not closed`, nameStart);
      if (seen.has(attrName)) throw new Malformed(`attribute '${attrName.slice(0, 40)}' given twice`, nameStart);
      seen.add(attrName);
      // Namespace declarations are not attributes of the document's data; prefixes are dropped as for tags.
      if (build && attrName !== 'xmlns' && !attrName.startsWith('xmlns:')) attributes[localName(attrName)] = detached(text.slice(at + 1, valueEnd));
      at = valueEnd + 1;
    }
    const empty = text.charCodeAt(at) === 0x2f;
    const element: XmlElement | null = build ? { name: localName(rawName), attributes, children: [], text: '' } : null;
    if (element) {
      if (depth === 0) root = element;
      else open[depth - 1]!.children.push(element);
    }
    if (!empty) {
      open.push(element);
      openNames.push(rawName);
    } else if (depth === 0 && !element) {
      tooDeep = true;
    }
    return at + (empty ? 2 : 1);
  }
}
