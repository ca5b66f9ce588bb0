import type { Db } from "../db/sql";
import type { AdoptionRecord } from "../../app/statement/adoption-line";

/** Marks the statement adopted, with how (the adoption line's record); a statement is adopted once. */
export async function recordAdoption(sql: Db, documentId: string, record: AdoptionRecord): Promise<void> {
  await sql`
    update documents
    set adopted_at = now(), adoption_method = ${record.method}, adoption_time = ${new Date(record.at)},
        adoption_time_zone = ${record.timeZone}, adoption_meeting = ${record.meeting}
    where id = ${documentId} and adopted_at is null`;
}

/** How the statement was adopted; null while it is not (or was adopted before the record was kept). */
export async function adoptionRecord(sql: Db, documentId: string): Promise<AdoptionRecord | null> {
  const [row] = await sql<AdoptionRecord[]>`
    select adoption_method as method, adoption_time as at, adoption_time_zone as "timeZone", adoption_meeting as meeting
    from documents where id = ${documentId} and adopted_at is not null and adoption_method is not null`;
  return row ?? null;
}
