/**
 * Reading one attribute from a certificate's subject as stored (the RFC 4514 string @peculiar/x509
 * writes, e.g. `CN=CyberSource_SJC_US, 2.5.4.5=1721…`). Light: no X.509 library needed.
 */
import type { StoredCertificate } from '../keys/stored-key';

/** The subject's serialNumber attribute (OID 2.5.4.5), unescaped, or undefined when it has none. */
export function subjectSerialNumber(subject: string): string | undefined {
  // Split on the commas and pluses that are not escaped with a backslash.
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < subject.length; i++) {
    const ch = subject[i]!;
    if (ch === '\\' && i + 1 < subject.length) {
      cur += ch + subject[++i];
    } else if (ch === ',' || ch === '+') {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const p of parts) {
    const m = /^\s*(?:2\.5\.4\.5|serialNumber)\s*=(.*)$/i.exec(p);
    if (m) return m[1]!.trim().replace(/\\(.)/g, '$1');
  }
  return undefined;
}

/**
 * CyberSource's kid for its MLE certificate, as its SDK (cybersource-rest-client) writes it: the
 * subject's serialNumber attribute; the X.509 serial (hex) only for a certificate without one.
 */
export function cybersourceKid(cert: Pick<StoredCertificate, 'subject' | 'serial'>): string {
  return subjectSerialNumber(cert.subject) ?? cert.serial;
}
