/** The Binance scheme as the doctor runs it, for the tests that examine Binance requests. */
import type { DoctorInput, RequestVerdict } from '../../../src/lib/request/types';
import { toRequestCheck, verifyScheme } from '../../../src/lib/scheme/check';
import binance from '../../../src/lib/schemes/binance/scheme';
import { decideRequest } from '../../../src/lib/trust/verdict';

export { binance };

/** The doctor's request check made from the scheme. */
export const binanceCheck = toRequestCheck(binance);

/** Examine a pasted Binance request and decide its verdict by the one rule (a request sent to Binance). */
export async function diagnoseBinance(input: DoctorInput): Promise<RequestVerdict> {
  return decideRequest({ direction: 'request-to', partner: 'binance' }, await verifyScheme(binance, input));
}

type BinanceParts = Exclude<ReturnType<typeof binance.signer.parts>, Promise<unknown>>;

/** The parts Binance's form signs (synchronous: Binance's form makes no second signature). */
export function binanceParts(...args: Parameters<typeof binance.signer.parts>): BinanceParts {
  const p = binance.signer.parts(...args);
  if (p instanceof Promise) throw new Error('Binance parts are synchronous');
  return p;
}
