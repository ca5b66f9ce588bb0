import type { Db, Sql } from "../db/sql";
import type { Access } from "../auth/permissions";
import { noRights } from "../auth/delegation-rights";
import { sightOf, type Sight } from "../auth/visibility";
import { publishAccessEvent } from "../auth/access-events";
import { findConference, type ConferenceRow } from "../queries/conferences";
import { findDocument, type DocumentRow } from "../queries/documents";
import { findLatestNamedVersion } from "../queries/versions";
import {
  findLiveScreenToken,
  insertScreenToken,
  revokeScreenToken,
  screenAttributions,
  liveScreenTokenDocument,
  setScreenAttributions,
} from "../queries/screens";
import { changeNegotiation } from "../negotiation/change";
import { refuse } from "../negotiation/refusal";
import { versionStatement } from "../negotiation/numbering";
import { readStatementRoom, statementView, type Audience } from "../negotiation/statement-view";
import { readingView } from "../readings/readings";
import { proposalLabels } from "../../app/statement/negotiation-labels";
import { versionLabel } from "../../app/statement/version-labels";
import type { ScreenData } from "../../app/statement/screen";

/**
 * The plenary screen (issue 15): a statement projected in the room, opened with a projection
 * token instead of a person's session. Whatever it shows is seen by everyone in the room, press
 * and observers included, so it shows what an observer of the conference sees and nothing more:
 * the text (live, from the collaboration server, read-only), its clause states and brackets, and
 * where the conference is open to observers the submitted proposals (never drafts, comments,
 * signals or anyone's own data); sponsors only when the chair shows them. In closed session an
 * observer sees nothing, and so does the screen.
 */

/** The one who looks at a screen: an observer without a delegation, whose access decides what every surface gives it. */
export function screenAudience(document: Pick<DocumentRow, "conferenceId">, conference: Pick<ConferenceRow, "confidentiality">): Audience {
  const access: Access = {
    userId: "00000000-0000-0000-0000-000000000000",
    conferenceId: document.conferenceId,
    role: "observer",
    delegationId: null,
    language: null,
    rights: noRights,
  };
  return { access, conference };
}

export const screenSight = (conference: Pick<ConferenceRow, "confidentiality">): Sight => sightOf({ role: "observer" }, conference);

/** How a screen's connections and streams are known to the servers: never a person's id, so no person's rights apply. */
export const screenPrincipal = (tokenId: string) => `screen:${tokenId}`;
export const screenTokenOf = (principal: string): string | null => (principal.startsWith("screen:") ? principal.slice(7) : null);

export type ScreenAdmission =
  | { ok: false; status: 403 | 404 }
  | { ok: true; tokenId: string; document: DocumentRow; conference: ConferenceRow; sight: Exclude<Sight, "none"> };

/** A projection token for a statement: 404 unless it is live and this statement's; 403 in closed session. */
export async function admitScreen(sql: Db, documentId: string, token: string): Promise<ScreenAdmission> {
  const found = await findLiveScreenToken(sql, documentId, token);
  const document = found ? await findDocument(sql, documentId) : null;
  const conference = document && document.kind === "statement" ? await findConference(sql, document.conferenceId) : null;
  if (!found || !document || !conference) return { ok: false, status: 404 };
  const sight = screenSight(conference);
  if (sight === "none") return { ok: false, status: 403 };
  return { ok: true, tokenId: found.id, document, conference, sight };
}

/** Whether a screen admitted with this token may still be open: its token live, and the conference not in closed session. */
export async function screenStillAdmitted(sql: Db, tokenId: string): Promise<boolean> {
  const documentId = await liveScreenTokenDocument(sql, tokenId);
  const document = documentId ? await findDocument(sql, documentId) : null;
  const conference = document ? await findConference(sql, document.conferenceId) : null;
  return conference !== null && screenSight(conference) !== "none";
}

/** What the screen shows besides the live text: see ScreenData. */
export async function screenData(sql: Db, admission: Extract<ScreenAdmission, { ok: true }>): Promise<ScreenData> {
  const { document, conference, sight } = admission;
  const [room, reference, attributions, reading] = await Promise.all([
    readStatementRoom(sql, document.id),
    findLatestNamedVersion(sql, document.id),
    screenAttributions(sql, document.id),
    readingView(sql, document.id),
  ]);
  const view = statementView(room, screenAudience(document, conference));
  const referenceStatement = reference ? await versionStatement(sql, document, reference) : null;
  const clauses = room.marks.statement.clauses;
  // Only submitted proposals are written on the screen (an observer's view holds no drafts anyway).
  const submitted = sight === "negotiation" ? view.proposals.filter((p) => p.status === "submitted") : [];
  const rows = room.marks.proposals.filter((p) => submitted.some((s) => s.id === p.id));
  const labels = proposalLabels(rows, clauses);
  return {
    document: { id: document.id, title: document.title },
    provisional: view.provisional,
    states: view.states,
    bracketed: view.bracketed,
    reference: reference
      ? {
          name: versionLabel(reference),
          texts: Object.fromEntries(referenceStatement!.clauses.flatMap((c) => (c.id ? [[c.id, c.text]] : []))),
        }
      : null,
    alternatives: rows.map((p) => {
      const summary = submitted.find((s) => s.id === p.id)!;
      const sponsors = [p.delegationCode ?? "Chair", ...p.positions.filter((x) => x.position === "cosponsor").map((x) => x.delegationCode)];
      return {
        id: p.id,
        clauseId: p.clauseId,
        label: labels.get(p.id) ?? summary.target,
        kind: p.kind,
        text: summary.proposedText,
        sponsors: attributions ? sponsors : null,
      };
    }),
    attributions,
    reading,
  };
}

/** The chair or the secretariat makes a projection link for a statement; the token is returned once, never stored. */
export async function createScreenToken(
  sql: Sql,
  actorId: string,
  input: { documentId: string; label: string },
): Promise<{ id: string; token: string }> {
  const { documentId, label } = input;
  return changeNegotiation(sql, { documentId, actorId, announce: () => [] }, async (tx, audit) => {
    const made = await insertScreenToken(tx, { documentId, label, createdBy: actorId });
    await audit("screen.token_created", { tokenId: made.id, label });
    return made;
  });
}

/** Revokes a projection link: the screens open with it are closed at once, on every instance. */
export async function revokeScreen(sql: Sql, actorId: string, input: { documentId: string; tokenId: string }): Promise<string> {
  const { documentId, tokenId } = input;
  const label = await changeNegotiation(sql, { documentId, actorId, announce: () => [] }, async (tx, audit) => {
    const revoked =
      (await revokeScreenToken(tx, documentId, tokenId, actorId)) ?? refuse(404, "There is no such live screen link.", "tokenId");
    await audit("screen.token_revoked", { tokenId, label: revoked });
    return revoked;
  });
  await publishAccessEvent(sql, { type: "session-ended", sessionId: screenPrincipal(tokenId) });
  return label;
}

/** The chair shows or hides the sponsors of proposals on the statement's screens. */
export async function setScreenAttributionsOf(sql: Sql, actorId: string, input: { documentId: string; shown: boolean }): Promise<void> {
  const { documentId, shown } = input;
  await changeNegotiation(sql, { documentId, actorId, announce: () => [{ topic: "screen" as const }] }, async (tx, audit) => {
    await setScreenAttributions(tx, documentId, shown);
    await audit("screen.attributions_changed", { shown });
  });
}
