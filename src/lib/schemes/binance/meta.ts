/** The Binance scheme: who it is (the registry loads this with the page; check.ts and form.ts lazily). */
import { defineMeta } from '../engine/types';

export default defineMeta({
  id: 'binance',
  name: 'Binance SIGNED endpoints (HMAC-SHA256, RSA or Ed25519 over the query string and body)',
  kind: 'request',
  recognisedBy: 'X-MBX-APIKEY with a signature= parameter',
  source: 'binance-spot-api-docs, rest-api "Request security"; Binance connectors\' signature.py',
});
