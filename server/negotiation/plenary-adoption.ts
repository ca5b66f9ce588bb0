import type { Sql } from "../db/sql";
import type { DocumentRow } from "../queries/documents";
import { runningSilences } from "../queries/silence-procedures";
import { publishAccessEvent } from "../auth/access-events";
import type { Actor } from "./actor";
import { changeNegotiation } from "./change";
import { refuse } from "./refusal";
import { currentStatement } from "./numbering";
import { isTimeZone } from "./time-zones";
import { adoptStatement } from "./adoption";
import { describeOpenBusiness, hasOpenBusiness, openBusiness } from "./open-business";

export const adoptedByConsensusNotice = "The chair has declared the text adopted by consensus.";

export function assertAdoptsInPlenary(actor: Actor): void {
  if (!actor.isChair) refuse(403, "Only the chair declares the text adopted.");
}

/**
 * The chair declares the text adopted by consensus in plenary (the other way a text is adopted
 * besides silence passing): the same adoption (server/negotiation/adoption.ts), recorded with the
 * meeting as the chair words it and the zone its date is stated in. Business still open must have
 * been seen and confirmed, as when opening a silence procedure; a running procedure must be
 * cancelled first, so that it cannot pass on an adopted text.
 */
export async function adoptByConsensus(
  sql: Sql,
  actor: Actor,
  input: { document: Pick<DocumentRow, "id" | "adoptedAt">; meeting: string; timeZone: string; openBusiness?: string },
): Promise<void> {
  const { document, timeZone } = input;
  assertAdoptsInPlenary(actor);
  if (!isTimeZone(timeZone)) refuse(400, "Choose a time zone.", "timeZone");
  if (document.adoptedAt) refuse(400, "The text is already adopted.");
  const announce = () => [
    { topic: "silence" as const, notice: adoptedByConsensusNotice, supersedes: "silence" as const },
    { topic: "proposals" as const },
  ];
  const adopted = await changeNegotiation(sql, { documentId: document.id, actorId: actor.userId, announce }, async (tx, audit) => {
    // Serialised with a silence passing or another adoption: both update this row.
    const [row] = await tx<
      { adopted: boolean }[]
    >`select adopted_at is not null as adopted from documents where id = ${document.id} for update`;
    if (row?.adopted) refuse(400, "The text is already adopted.");
    if ((await runningSilences(tx, document.id)).length > 0) {
      refuse(409, "A silence procedure is running on this text; cancel it before adopting the text in plenary.");
    }
    const { clauses } = await currentStatement(tx, document.id);
    const business = await openBusiness(tx, document.id, clauses);
    if (hasOpenBusiness(business) && input.openBusiness !== business.token) {
      refuse(
        409,
        `Business is still open: ${describeOpenBusiness(business)}. Confirm that the text is adopted with it open, ` +
          "and that open proposals are closed as not taken up.",
        "openBusiness",
      );
    }
    const meeting = input.meeting.trim() || null;
    const result = await adoptStatement(tx, audit, {
      documentId: document.id,
      closedBy: actor.userId,
      reason: "Adopted by consensus in plenary.",
      subject: { method: "consensus" },
      record: { method: "consensus", at: new Date(), timeZone, meeting },
    });
    await audit("statement.adopted", {
      method: "consensus",
      meeting,
      timeZone,
      ...(hasOpenBusiness(business) ? { openProposals: business.proposals.map((p) => `P${p.number}`) } : {}),
    });
    return result;
  });
  for (const textDocumentId of adopted.frozenDrafts) await publishAccessEvent(sql, { type: "document", documentId: textDocumentId });
}
