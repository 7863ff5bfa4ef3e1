/**
 * QI DTVM's variant of QI Tech v2 (PARTNERS.md): timestamp `%Y-%m-%dT%H:%M:%S` in UTC (no fraction,
 * no Z) and payload_md5 only when there is a body.
 */
import type { V2Variant } from '../qit-v2/sign';

/** The QI DTVM variant's differences from v2. */
export const QI_DTVM: V2Variant = {
  id: 'qi-dtvm',
  label: 'QI DTVM',
  timestamp: (ms) => new Date(ms).toISOString().slice(0, 19),
  timestampPattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
  timestampExample: '2023-06-26T19:48:32',
  md5WithoutBody: false,
  claimOrder: ['timestamp', 'method', 'uri', 'payload_md5'],
};
