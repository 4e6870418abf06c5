/**
 * The simulator serves payloads derived from real captures: it loads a captured file and substitutes this
 * device's values into elements matched by local name, so the scanner is exercised on the vendor's own
 * prefixes, namespaces and whitespace rather than on what our encoder would write.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const capturesRoot = join(packageRoot, 'fixtures', 'captures');
export const profilesRoot = join(packageRoot, 'fixtures', 'profiles');

const cache = new Map<string, string>();

export function loadCapture(relativePath: string): string {
  let text = cache.get(relativePath);
  if (text === undefined) {
    text = readFileSync(join(capturesRoot, relativePath), 'utf8');
    cache.set(relativePath, text);
  }
  return text;
}

function elementPattern(localName: string): RegExp {
  return new RegExp(`(<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>)([\\s\\S]*?)(</(?:[\\w.-]+:)?${localName}>)`, 'g');
}

/** Replace the text of every element with this local name (first occurrence only when `firstOnly`). */
export function setElementText(xml: string, localName: string, value: string, firstOnly = false): string {
  let done = false;
  return xml.replace(elementPattern(localName), (whole, open: string, _text: string, close: string) => {
    if (firstOnly && done) return whole;
    done = true;
    return `${open}${value}${close}`;
  });
}

/** Apply `edit` to the inner XML of every element with this local name (e.g. only inside UTCDateTime). */
export function editElement(xml: string, localName: string, edit: (inner: string) => string): string {
  return xml.replace(elementPattern(localName), (_whole, open: string, inner: string, close: string) => `${open}${edit(inner)}${close}`);
}

/** Point every absolute http(s) URL that names a host other than XML namespaces' at this device's base. */
export function rewriteServiceUrls(xml: string, base: string): string {
  return xml.replace(/>(\s*)https?:\/\/(?:\[[^\]]+\]|[\d.]+)(?::\d+)?(\/[^<\s]*)/g, (_whole, space: string, path: string) => `>${space}${base}${path}`);
}
