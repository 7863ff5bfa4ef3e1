/** Quote a string for a POSIX shell command line (single quotes; embedded ones closed and escaped). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A multi-line curl command: method, URL (already quoted), one -H per header (header lines in
 * order, repeated names kept, when given as pairs), then extra lines.
 */
export function curlCommand(
  method: string,
  quotedUrl: string,
  headers: Record<string, string> | readonly (readonly [string, string])[],
  extra: string[] = [],
): string {
  return [
    `curl -X ${method} ${quotedUrl}`,
    ...(Array.isArray(headers) ? headers : Object.entries(headers)).map(
      ([k, v]: readonly [string, string]) => `  -H ${shellQuote(`${k}: ${v}`)}`,
    ),
    ...extra,
  ].join(' \\\n');
}
