/** The code TrueLayer's Tl-Signature (scheme.ts) raises; errors.ts joins it into ErrorCode. */
export type TrueLayerCode = 'ERR_TRUELAYER_HEADER_LINES';
