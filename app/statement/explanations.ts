/** How an explanation of position names what it is on, by the labels of the statement's numbering. */
export function explanationScope(clauseIds: readonly string[], labels: Readonly<Record<string, string>>): string {
  if (clauseIds.length === 0) return "the statement as a whole";
  return clauseIds.map((id) => labels[id] ?? "a paragraph since deleted").join(", ");
}
