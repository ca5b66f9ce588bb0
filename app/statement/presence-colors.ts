/** Caret and presence colours, dark enough for white label text at WCAG AA (4.5:1). */
export const presenceColors = ["#b3261e", "#1a5fb4", "#1e6b45", "#7d3c98", "#8a5300", "#00677f", "#5b4a9e", "#a0325a"];

export function colorFor(seed: string): string {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return presenceColors[h % presenceColors.length];
}
