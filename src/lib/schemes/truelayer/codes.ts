/**
 * The codes TrueLayer's Tl-Signature (scheme.ts) raise, declared beside them. errors.ts joins this type into ErrorCode; a test
 * checks each is raised in this folder. This file imports nothing, so errors.ts can take it without
 * an import cycle.
 */
export type TrueLayerCode = 'ERR_TRUELAYER_HEADER_LINES';
