/**
 * The adoption line a statement carries once adopted, shown on its page and printed in every
 * export: "Adopted by consensus at its 4th plenary meeting on 12 May 2026." or "Adopted by silence
 * procedure ending 12 May 2026 at 18:00 (Baku time, UTC+04:00)." Dates and times are on the clocks
 * of the record's zone, so the line reads the same wherever it is rendered.
 */

export type AdoptionMethod = "consensus" | "silence";

export interface AdoptionRecord {
  method: AdoptionMethod;
  /** The plenary decision, or the silence deadline. */
  at: Date | string;
  /** IANA zone the line states the time in (the deadline's zone for silence). */
  timeZone: string;
  /** As the chair words it, e.g. "its 4th plenary meeting"; null: "the plenary meeting". */
  meeting: string | null;
}

const part = (instant: Date, zone: string, options: Intl.DateTimeFormatOptions, type: Intl.DateTimeFormatPartTypes) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: zone, ...options }).formatToParts(instant).find((p) => p.type === type)?.value ?? "";

/** "12 May 2026" on the zone's clocks. */
export function dateInZone(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "long", year: "numeric" }).format(instant);
}

/** "Baku time, UTC+04:00"; "UTC" alone for UTC. */
export function zoneWords(instant: Date, zone: string): string {
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  const offset = part(instant, zone, { timeZoneName: "longOffset" }, "timeZoneName").replace(/^GMT/, "UTC");
  const place = (zone.split("/").pop() ?? zone).replace(/_/g, " ");
  return `${place} time, ${offset === "UTC" ? "UTC+00:00" : offset}`;
}

export function adoptionLine(record: AdoptionRecord): string {
  const at = new Date(record.at);
  const date = dateInZone(at, record.timeZone);
  if (record.method === "consensus") return `Adopted by consensus at ${record.meeting?.trim() || "the plenary meeting"} on ${date}.`;
  const time = `${part(at, record.timeZone, { hour: "2-digit", hourCycle: "h23" }, "hour")}:${part(at, record.timeZone, { minute: "2-digit" }, "minute").padStart(2, "0")}`;
  return `Adopted by silence procedure ending ${date} at ${time} (${zoneWords(at, record.timeZone)}).`;
}
