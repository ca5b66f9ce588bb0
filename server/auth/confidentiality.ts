import type { Sql } from "../db/sql";
import { appendAudit } from "../audit/log";
import { setConfidentiality } from "../queries/conferences";
import { listMembers } from "../queries/memberships";
import { publishAccessEvent } from "./access-events";
import type { Confidentiality } from "../../app/statement/confidentiality";
import { liveScreenTokensOfConference } from "../queries/screens";
import { screenPrincipal } from "../screen/screen";

/**
 * The secretariat sets what observers see of the conference's statements. The change and its
 * audit entry commit together; then every observer's open pages, event streams and WebSockets are
 * re-decided at once, on every instance, as for a change of role (closed: they are closed, and
 * so are the plenary screens).
 */
export async function changeConfidentiality(
  sql: Sql,
  c: { conferenceId: string; actorId: string; mode: Confidentiality },
): Promise<{ changed: boolean }> {
  const changed = await sql.begin(async (tx) => {
    const before = await setConfidentiality(tx, c.conferenceId, c.mode);
    if (!before) return false;
    await appendAudit(tx, {
      conferenceId: c.conferenceId,
      actorId: c.actorId,
      action: "confidentiality.changed",
      subject: { from: before, to: c.mode },
    });
    return true;
  });
  if (changed) {
    const observers = (await listMembers(sql, c.conferenceId)).filter((m) => m.role === "observer");
    for (const m of observers) await publishAccessEvent(sql, { type: "membership", conferenceId: c.conferenceId, userId: m.userId });
    // A plenary screen shows what an observer sees: in closed session, nothing (its links stay, for when the session opens again).
    if (c.mode === "closed")
      for (const id of await liveScreenTokensOfConference(sql, c.conferenceId))
        await publishAccessEvent(sql, { type: "session-ended", sessionId: screenPrincipal(id) });
  }
  return { changed };
}
