import type { Sql } from "../db/sql";
import { appendAudit } from "../audit/log";
import { setConferenceLanguages } from "../queries/conferences";
import { listDocuments } from "../queries/documents";
import { refuse } from "../negotiation/refusal";
import { languageCodes, languageOf, languages } from "../../app/statement/languages";

/**
 * The secretariat sets the conference's working languages, in the order of the language list. A
 * statement's original language stays one of them; translations into a language taken off are
 * kept, and come back with it. The change and its audit entry commit together.
 */
export async function changeConferenceLanguages(
  sql: Sql,
  c: { conferenceId: string; actorId: string; languages: readonly string[] },
): Promise<{ changed: boolean }> {
  if (c.languages.length === 0) refuse(400, "Choose at least one language.", "languages");
  const unknown = c.languages.find((l) => !languageCodes.includes(l));
  if (unknown !== undefined) refuse(400, `Concord does not know the language "${unknown}".`, "languages");
  const chosen = languages.map((l) => l.code).filter((code) => c.languages.includes(code));
  const changed = await sql.begin(async (tx) => {
    const orphaned = (await listDocuments(tx, c.conferenceId)).find((d) => !chosen.includes(d.originalLanguage));
    if (orphaned)
      refuse(409, `"${orphaned.title}" is written in ${languageOf(orphaned.originalLanguage).name}: keep that language.`, "languages");
    const before = await setConferenceLanguages(tx, c.conferenceId, chosen);
    if (!before) return false;
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "languages.changed",
      subject: { from: before, to: chosen },
    });
    return true;
  });
  return { changed };
}
