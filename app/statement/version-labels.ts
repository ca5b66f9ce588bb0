/** How a version is called: its name, or "Checkpoint 12" (browser-safe: pages and exports share it). */
export function versionLabel(v: { number: number; name: string | null }): string {
  return v.name ?? `Checkpoint ${v.number}`;
}
