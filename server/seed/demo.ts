import type { Sql } from "../db/sql";
import { createConference, findConferenceBySlug, type ConferenceRow } from "../queries/conferences";
import { createDocument } from "../queries/documents";
import { appendUpdates } from "../queries/document-state";
import { demoStatement } from "./demo-statement";
import { statementUpdate } from "./statement-state";

export const demoConferenceSlug = "imac4";

/** Creates the demo conference and its zero draft once; later starts find it and do nothing. */
export async function seedDemo(sql: Sql): Promise<{ created: boolean; conference: ConferenceRow }> {
  const existing = await findConferenceBySlug(sql, demoConferenceSlug);
  if (existing) return { created: false, conference: existing };
  return sql.begin(async (tx) => {
    const conference = await createConference(tx, {
      slug: demoConferenceSlug,
      title: "4th International Mine Action Conference",
      subtitle: "Humanitarian Demining for Urban Recovery: Setting Standards of Excellence for Safe Settlements",
      venue: "Baku, Azerbaijan",
    });
    const document = await createDocument(tx, conference.id, "Joint Statement — Zero draft");
    await appendUpdates(tx, document.id, [statementUpdate(demoStatement())]);
    return { created: true, conference };
  });
}
