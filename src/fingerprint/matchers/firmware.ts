/**
 * One spelling per firmware string, so the same firmware read over two channels is not reported as a conflict:
 * Hikvision SADP glues the build on ("V5.6.2build 190701") where ONVIF and ISAPI write "V5.6.2 build 190701", and
 * some DSP versions put a comma before it ("V5.0, build 191213").
 */
import { MAX_HINT_TEXT } from './types.js';

/** Trimmed, single-spaced, " build " spelled one way; null for empty or absurdly long text. */
export function normaliseFirmware(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  // Refuse absurd input before any regex (a fuzzer found the build pattern backtracking over long whitespace runs).
  if (raw.length > 4 * MAX_HINT_TEXT) return null;
  const cleaned = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ?(?:, ?)?\bbuild ?(?=\d)/gi, ' build ')
    .replace(/(\d)build\s*(?=\d)/gi, '$1 build ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '' || cleaned.length > MAX_HINT_TEXT) return null;
  return cleaned;
}
