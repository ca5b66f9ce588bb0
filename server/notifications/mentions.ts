/**
 * Mentions of delegations in a comment: "@" followed by a delegation's code or name, in any case,
 * and then anything but a letter or digit ("@NOR", "@Norway,", "@united kingdom"). Where several
 * match at one "@" (a name and a longer one it begins), the longest is meant. Read from the
 * comment's stored text on the server; nothing the page sends says who was mentioned.
 */
export function mentionedDelegations<D extends { id: string; name: string; code: string }>(body: string, delegations: readonly D[]): D[] {
  const keys = delegations
    .flatMap((d) => [d.code, d.name].map((key) => ({ key: key.toLocaleLowerCase("en"), delegation: d })))
    .filter((k) => k.key.length > 0)
    .sort((a, b) => b.key.length - a.key.length);
  const text = body.toLocaleLowerCase("en");
  const found = new Map<string, D>();
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    const rest = text.slice(at + 1);
    const match = keys.find((k) => rest.startsWith(k.key) && !/^[\p{L}\p{N}]/u.test(rest.slice(k.key.length)));
    if (match) found.set(match.delegation.id, match.delegation);
  }
  return [...found.values()];
}
