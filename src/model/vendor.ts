/**
 * One spelling per vendor. Devices name their maker in many ways: ONVIF Manufacturer "HIKVISION", SADP nothing,
 * DHIP Vendor "Dahua", SSDP "ZheJiang Dahua Technology CO.,LTD.", Axis "AXIS" or "Axis Communications AB", and the
 * WS-Discovery name scope often "<VENDOR> <model>". The lockout knowledge base is keyed by these canonical names.
 */

/** A vendor name is short; longer text is a description or garbage, not something to display as a vendor. */
const MAX_VENDOR_TEXT = 128;

/**
 * Which vendor API (and stream paths, realms, lock settings) a device speaks. OEM brands speak their maker's:
 * Amcrest and Lorex cameras run Dahua firmware (Dahua HTTP API, /cam/realmonitor paths).
 */
export type VendorFamily = 'hikvision' | 'dahua' | 'axis' | 'hanwha';

interface VendorAliases {
  name: string;
  /** Lower-case words the name starts with (punctuation already turned into spaces). */
  aliases: string[];
  family?: VendorFamily;
}

const VENDORS: VendorAliases[] = [
  { name: 'Hikvision', aliases: ['hikvision', 'hik vision', 'hik connect', 'hikconnect', 'hik'], family: 'hikvision' },
  { name: 'Dahua', aliases: ['dahua', 'dahuatech'], family: 'dahua' },
  { name: 'Axis', aliases: ['axis communications', 'axis'], family: 'axis' },
  { name: 'Pelco', aliases: ['pelco'] },
  // Samsung Techwin became Hanwha Techwin (2015), now Hanwha Vision; Wisenet is its brand.
  { name: 'Hanwha', aliases: ['hanwha', 'samsung techwin', 'samsung wisenet', 'wisenet'], family: 'hanwha' },
  { name: 'Sony', aliases: ['sony'] },
  { name: 'Bosch', aliases: ['bosch', 'robert bosch'] },
  { name: 'Reolink', aliases: ['reolink'] },
  { name: 'Amcrest', aliases: ['amcrest'], family: 'dahua' },
  { name: 'Lorex', aliases: ['lorex'], family: 'dahua' },
  { name: 'Foscam', aliases: ['foscam'] },
  { name: 'Uniview', aliases: ['uniview', 'unv'] },
  { name: 'Vivotek', aliases: ['vivotek'] },
  { name: 'TP-Link', aliases: ['tp link', 'tplink', 'tapo', 'vigi'] },
  { name: 'Panasonic', aliases: ['panasonic'] },
  { name: 'Avigilon', aliases: ['avigilon'] },
  { name: 'FLIR', aliases: ['flir', 'teledyne flir'] },
  { name: 'GeoVision', aliases: ['geovision', 'geo vision'] },
  { name: 'Tiandy', aliases: ['tiandy'] },
  { name: 'TRENDnet', aliases: ['trendnet'] },
  { name: 'D-Link', aliases: ['d link', 'dlink'] },
  { name: 'LILIN', aliases: ['merit lilin', 'lilin'] },
  { name: 'Mobotix', aliases: ['mobotix'] },
  { name: 'Milesight', aliases: ['milesight'] },
  { name: 'Ubiquiti', aliases: ['ubiquiti', 'ubnt'] },
  { name: 'Honeywell', aliases: ['honeywell'] },
];

// Chinese makers' legal names start with the city or province: "Hangzhou Hikvision Digital Technology Co., Ltd.",
// "Zhejiang Dahua Technology Co., Ltd.", "Zhejiang Uniview Technologies".
const LOCATION_PREFIX = /^(?:hangzhou|zhejiang|shenzhen|tianjin|beijing|shanghai|guangzhou)\s+/;

function cleanText(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  // Control characters never belong in a name and would corrupt a terminal table.
  // eslint-disable-next-line no-control-regex
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '' || cleaned.length > MAX_VENDOR_TEXT) return null;
  return cleaned;
}

function findVendor(raw: string | null | undefined): VendorAliases | null {
  const cleaned = cleanText(raw);
  if (cleaned === null) return null;
  const key = cleaned.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().replace(LOCATION_PREFIX, '');
  for (const vendor of VENDORS) {
    for (const alias of vendor.aliases) {
      if (key === alias || key.startsWith(`${alias} `)) return vendor;
    }
  }
  return null;
}

/** The canonical name when the text starts with a vendor we know, else null. */
export function findKnownVendor(raw: string | null | undefined): string | null {
  return findVendor(raw)?.name ?? null;
}

/** The API family of a vendor name in any spelling ("HIKVISION", "Amcrest", "ZheJiang Dahua…"), or null. */
export function vendorFamilyOf(raw: string | null | undefined): VendorFamily | null {
  return findVendor(raw)?.family ?? null;
}

/**
 * Canonical vendor name: "HIKVISION", "hikvision", "HIK" → "Hikvision"; "Dahua Technology" → "Dahua";
 * "Axis Communications AB" → "Axis"; "Samsung Techwin" → "Hanwha". A name we do not know comes back trimmed, in
 * its own case ("ONVIF_ICAMERA"); empty, whitespace-only or absurdly long text → null.
 */
export function normaliseVendor(raw: string | null | undefined): string | null {
  return findKnownVendor(raw) ?? cleanText(raw);
}
