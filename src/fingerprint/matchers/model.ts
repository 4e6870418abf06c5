/**
 * Vendor hints from a model string. Conservative by design: a prefix only counts when the vendor's naming scheme
 * is distinctive (Hikvision "DS-2CD…", Dahua "IPC-HFW…", Hanwha "XNO-6080R"). Short shapes many vendors share
 * (Axis "M1034-W" is just a letter and four digits) are 'low' and need another hint to agree.
 */
import { MAX_HINT_TEXT, type HintConfidence } from './types.js';

export type ModelKind = 'camera' | 'ptz' | 'recorder' | 'other';

export interface ModelMatch {
  vendor: string | null;
  /** Product family prefix when it matters for the lockout knowledge base (Hikvision "DS-2DE", "DS-2DF"). */
  family: string | null;
  kind: ModelKind | null;
  confidence: HintConfidence | null;
  reason: string;
}

interface ModelPattern {
  pattern: RegExp;
  vendor: string;
  confidence: HintConfidence;
  kind: ModelKind;
  /** Length of the family prefix to report, after any leading "i" (Hikvision iDS-…). */
  familyLength?: number;
  reason: string;
}

// First match wins: specific families before the general prefix of the same vendor.
const PATTERNS: ModelPattern[] = [
  { pattern: /^i?DS-2DE/i, vendor: 'Hikvision', confidence: 'high', kind: 'ptz', familyLength: 6, reason: 'DS-2DE is the Hikvision PTZ family (Milestone KB 000002183 "DE")' },
  { pattern: /^i?DS-2DF/i, vendor: 'Hikvision', confidence: 'high', kind: 'ptz', familyLength: 6, reason: 'DS-2DF is the Hikvision PTZ family (Milestone KB 000002183 "DF")' },
  { pattern: /^i?DS-2[A-Z]{2}/i, vendor: 'Hikvision', confidence: 'high', kind: 'camera', familyLength: 6, reason: 'DS-2xx is the Hikvision camera numbering' },
  { pattern: /^i?DS-[789]\d/i, vendor: 'Hikvision', confidence: 'high', kind: 'recorder', familyLength: 5, reason: 'DS-7x/8x/9x is the Hikvision NVR/DVR numbering' },
  { pattern: /^i?DS-[A-Z0-9]/i, vendor: 'Hikvision', confidence: 'medium', kind: 'other', reason: 'DS- is the Hikvision product prefix (intercoms, encoders, access control)' },
  { pattern: /^DHI?-/i, vendor: 'Dahua', confidence: 'high', kind: 'other', reason: 'DH-/DHI- is the Dahua product prefix' },
  { pattern: /^IPC-H[A-Z]{1,4}\d/i, vendor: 'Dahua', confidence: 'high', kind: 'camera', reason: 'IPC-HFW/HDW/HDBW/HUM… is the Dahua camera numbering' },
  { pattern: /^IPC-[A-Z]{1,5}\d/i, vendor: 'Dahua', confidence: 'medium', kind: 'camera', reason: 'IPC-<letters><digits> is the Dahua camera numbering' },
  { pattern: /^(?:HCVR|XVR)\d/i, vendor: 'Dahua', confidence: 'high', kind: 'recorder', reason: 'HCVR/XVR is the Dahua recorder numbering' },
  { pattern: /^SD\d[A-Z0-9]{3,6}[A-Z]-/i, vendor: 'Dahua', confidence: 'medium', kind: 'ptz', reason: 'SD<digits><letter>- is the Dahua PTZ numbering' },
  { pattern: /^IP\d?M-\d{3}/i, vendor: 'Amcrest', confidence: 'medium', kind: 'camera', reason: 'IP2M-/IP4M-/IP8M- is the Amcrest numbering' },
  { pattern: /^L(?:NB|NE|NZ|NR)\d/i, vendor: 'Lorex', confidence: 'medium', kind: 'other', reason: 'LNB/LNE/LNZ/LNR is the Lorex numbering' },
  { pattern: /^AXIS\s/i, vendor: 'Axis', confidence: 'high', kind: 'other', reason: 'Axis prefixes its product names with "AXIS"' },
  {
    pattern: /^(?:S[CN][BDOPVZ]|XN[BDFOPVZ]|QN[DEFOPV]|PN[DMOPV]|TN[BMOV]|LN[DOV]|AN[DEOV]|HC[DOV]|[XQPS]RN)-\d{3,4}/i,
    vendor: 'Hanwha',
    confidence: 'high',
    kind: 'other',
    reason: 'three letters, a dash and 4 digits (XNO-6080R) is the Hanwha/Samsung Wisenet numbering',
  },
  { pattern: /^SNC-/i, vendor: 'Sony', confidence: 'high', kind: 'camera', reason: 'SNC- is the Sony network camera numbering' },
  { pattern: /^(?:FLEXIDOME|DINION|AUTODOME|MIC IP)\b/i, vendor: 'Bosch', confidence: 'high', kind: 'camera', reason: 'FLEXIDOME/DINION/AUTODOME/MIC are Bosch product lines' },
  { pattern: /^N[BDT][CEINP]-\d{3,4}/i, vendor: 'Bosch', confidence: 'medium', kind: 'camera', reason: 'NBN-/NDN-/NDE-/NTI- is the Bosch camera numbering' },
  { pattern: /^(?:IME|IXE|IBE|IWE|IMP|IBP|IJP|IMM|IXP|IMS|IMV)\d{3}/i, vendor: 'Pelco', confidence: 'medium', kind: 'camera', reason: 'IME/IXE/IBE… is the Pelco Sarix numbering' },
  { pattern: /^(?:RLC|RLN|RLK)\d*-/i, vendor: 'Reolink', confidence: 'high', kind: 'other', reason: 'RLC-/RLN-/RLK- is the Reolink numbering' },
  { pattern: /^FI\d{4}/i, vendor: 'Foscam', confidence: 'medium', kind: 'camera', reason: 'FI<4 digits> is the Foscam numbering' },
  { pattern: /^(?:VIGI|Tapo)\b/i, vendor: 'TP-Link', confidence: 'high', kind: 'camera', reason: 'VIGI and Tapo are TP-Link camera brands' },
  { pattern: /^(?:FD|IB|FE|IP|MD|IZ|MS|CC|TB|IT|SD)[89]\d{3}/i, vendor: 'Vivotek', confidence: 'medium', kind: 'camera', reason: 'two letters and 8xxx/9xxx is the Vivotek numbering' },
  { pattern: /^IPC\d{3,4}[A-Z]/i, vendor: 'Uniview', confidence: 'low', kind: 'camera', reason: 'IPC<digits> without a dash is the Uniview numbering, but generic devices use it too' },
  { pattern: /^WV-/i, vendor: 'Panasonic', confidence: 'high', kind: 'camera', reason: 'WV- is the Panasonic (i-PRO) camera numbering' },
  { pattern: /^\d+(?:\.\d+)?[A-Z]{0,2}-H\d/i, vendor: 'Avigilon', confidence: 'medium', kind: 'camera', reason: '<megapixels>-H<generation> (2.0-H3M-DO1) is the Avigilon numbering' },
  { pattern: /^CM-\d{4}-\d{2}-[A-Z]$/i, vendor: 'FLIR', confidence: 'medium', kind: 'camera', reason: 'CM-NNNN-NN-X is the FLIR Quasar numbering' },
  { pattern: /^GV-/i, vendor: 'GeoVision', confidence: 'high', kind: 'other', reason: 'GV- is the GeoVision prefix' },
  { pattern: /^TC-[A-Z]{1,2}\d{2,4}/i, vendor: 'Tiandy', confidence: 'medium', kind: 'camera', reason: 'TC-C…/TC-NC… is the Tiandy numbering' },
  { pattern: /^TV-IP\d/i, vendor: 'TRENDnet', confidence: 'high', kind: 'camera', reason: 'TV-IP is the TRENDnet camera numbering' },
  { pattern: /^DCS-\d/i, vendor: 'D-Link', confidence: 'high', kind: 'camera', reason: 'DCS- is the D-Link camera numbering' },
  // Last: the bare Axis shape (letter + 4 digits, optional suffixes) is shared by other vendors.
  { pattern: /^[ABCDFIMPQTVW]\d{4}(?:-[A-Z0-9]+)*$/i, vendor: 'Axis', confidence: 'low', kind: 'camera', reason: 'a letter and four digits (M1034-W) is the Axis numbering, but the shape is not unique to Axis' },
];

const NO_MATCH: Omit<ModelMatch, 'reason'> = { vendor: null, family: null, kind: null, confidence: null };

/** Vendor hint from a model string; vendor null when the model says nothing reliable about its maker. */
export function matchModel(model: string | null | undefined): ModelMatch {
  const text = typeof model === 'string' ? model.trim() : '';
  if (text === '' || text.length > MAX_HINT_TEXT) return { ...NO_MATCH, reason: 'no model' };
  for (const candidate of PATTERNS) {
    if (!candidate.pattern.test(text)) continue;
    const offset = /^iDS-/i.test(text) ? 1 : 0;
    const family = candidate.familyLength ? text.slice(offset, offset + candidate.familyLength).toUpperCase() : null;
    return { vendor: candidate.vendor, family, kind: candidate.kind, confidence: candidate.confidence, reason: candidate.reason };
  }
  return { ...NO_MATCH, reason: 'no known vendor numbering' };
}
