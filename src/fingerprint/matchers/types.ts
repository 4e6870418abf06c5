/**
 * How much one anonymous hint says about the vendor: 'high' = a string only that vendor sends, 'medium' = a
 * strong habit of that vendor, 'low' = a shape other vendors share (used only when another hint agrees).
 */
export type HintConfidence = 'high' | 'medium' | 'low';

/** Longest header value or model string the matchers look at; anything longer is not a real one. */
export const MAX_HINT_TEXT = 256;
