/** adapter (H1): the Binance request check, wrapping today's diagnoseBinance until H3's check replaces it. */
import { diagnoseBinance } from '../../partners/binance';
import { header } from '../../request/types';
import { resultOfVerdict } from '../engine/doctor-adapter';
import { defineRequestCheck } from '../engine/types';

export default defineRequestCheck({
  id: 'binance',
  // The API key header and a signature parameter in the query or the form body.
  recognise: (req) =>
    header(req, 'x-mbx-apikey') !== undefined && /(?:^|[?&])signature=/.test(`${req.url}&${req.body}`)
      ? 3
      : 0,
  signedHeaders: ['x-mbx-apikey', 'content-type'],
  verify: async (input) => resultOfVerdict(await diagnoseBinance(input), input.keys),
});
