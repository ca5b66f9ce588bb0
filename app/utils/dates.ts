/** A date as the same text on the server and in every browser (no hydration mismatch): "2026-05-04 14:30 UTC". */
export function formatUtc(value: Date | string): string {
  const d = typeof value === "string" ? new Date(value) : value;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
