/**
 * Names the user chooses keys by. Two keys may share a label (two made the same day for the same
 * partner get the same default one), so wherever keys are listed side by side each shared label
 * gets a short piece of the key's SHA-256 fingerprint, or a counter when that cannot tell them apart.
 */

/** What naming a key needs: its id, its label, and its SHA-256 fingerprint (hex, any separators) when known. */
export interface NamedKey {
  id: string;
  label: string;
  fingerprint?: string | undefined;
}

/** Hex digits of a fingerprint shown after a shared label (6: one in 16 million). */
const SHORT = 6;

function shortFingerprint(fingerprint: string | undefined): string {
  return (fingerprint ?? '')
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, SHORT)
    .toLowerCase();
}

/**
 * A name per key id, unique among `keys`: the label alone when no other key has it, else the label
 * and " · " + the first 6 hex digits of its fingerprint, or " (n)" in list order when fingerprints
 * are unknown or equal.
 */
export function distinctKeyNames(keys: readonly NamedKey[]): Record<string, string> {
  const byLabel = new Map<string, NamedKey[]>();
  for (const k of keys) byLabel.set(k.label, [...(byLabel.get(k.label) ?? []), k]);
  const names: Record<string, string> = {};
  const taken = new Set(keys.map((k) => k.label));
  for (const [label, group] of byLabel) {
    if (group.length === 1) {
      names[group[0]!.id] = label;
      continue;
    }
    const shorts = group.map((k) => shortFingerprint(k.fingerprint));
    const byPrint = shorts.every((s, i) => s.length === SHORT && shorts.indexOf(s) === i);
    group.forEach((k, i) => {
      let name = byPrint ? `${label} · ${shorts[i]}` : `${label} (${i + 1})`;
      // A suffixed name could equal another key's own label: count on until it is free.
      for (let n = i + 2; taken.has(name); n++) name = `${label} (${n})`;
      taken.add(name);
      names[k.id] = name;
    });
  }
  return names;
}
