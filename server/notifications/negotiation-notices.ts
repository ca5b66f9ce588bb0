import type { Db } from "../db/sql";
import type { Actor } from "../negotiation/actor";
import { findDocument } from "../queries/documents";
import { listDelegations } from "../queries/delegations";
import { packageParticipants } from "../queries/breakouts";
import { conferenceNegotiationSeers, delegationMembers } from "../queries/notifications";
import { excerpt } from "../../app/statement/excerpt";
import type { NotificationPayloads } from "../../app/statement/notifications";
import { mentionedDelegations } from "./mentions";
import { notify, withoutFailing, writeNotice } from "./notify";

/**
 * The notices the negotiation's commands send, each called inside the command's transaction
 * (server/notifications/notify.ts). Recipients are worked out here from the stored data, never from
 * what the page sent; `notify` keeps only those who see the negotiation now, and never the actor.
 */

const excerptLength = 200;

async function statementOf(db: Db, documentId: string) {
  const document = await findDocument(db, documentId);
  if (!document) throw new Error(`No statement ${documentId} to notify about.`);
  return { conferenceId: document.conferenceId, documentTitle: document.title };
}

/** The actor as a comment names them: their name, and their delegation, or "Chair", or "Secretariat". */
async function authorOf(db: Db, actor: Actor): Promise<{ authorName: string; affiliation: string }> {
  const [row] = await db<{ name: string; delegationName: string | null }[]>`
    select u.name, d.name as "delegationName" from users u left join delegations d on d.id = ${actor.delegationId}
    where u.id = ${actor.userId}`;
  const affiliation = row?.delegationName ?? (actor.role === "chair" ? "Chair" : "Secretariat");
  return { authorName: row?.name ?? "Someone", affiliation };
}

/**
 * A new comment (a thread, or a reply in one): the delegations it mentions are told, and, for a
 * reply, everyone else who wrote in the thread (once: a participant whose delegation is mentioned
 * gets the mention).
 */
export async function commentNotices(
  tx: Db,
  actor: Actor,
  c: { documentId: string; threadId: string; clauseId: string; body: string; reply: boolean },
): Promise<void> {
  await withoutFailing(tx, "a comment", async (tx) => {
    const { conferenceId, documentTitle } = await statementOf(tx, c.documentId);
    const author = await authorOf(tx, actor);
    const common = { documentTitle, path: `/documents/${c.documentId}#clause-${c.clauseId}` };
    const text = excerpt(c.body, excerptLength);
    const notified = new Set<string>();
    for (const delegation of mentionedDelegations(c.body, await listDelegations(tx, conferenceId))) {
      const payload: NotificationPayloads["mention"] = { ...common, ...author, delegationName: delegation.name, excerpt: text };
      const recipients = await delegationMembers(tx, conferenceId, [delegation.id]);
      const sent = await notify(tx, {
        recipients,
        kind: "mention",
        payload,
        conferenceId,
        documentId: c.documentId,
        actorId: actor.userId,
      });
      for (const id of sent) notified.add(id);
    }
    if (!c.reply) return;
    const participants = await tx<{ id: string }[]>`
    select distinct author_id as id from comments where id = ${c.threadId} or parent_id = ${c.threadId}`;
    const recipients = participants.map((p) => p.id).filter((id) => !notified.has(id));
    const payload: NotificationPayloads["thread_reply"] = { ...common, ...author, excerpt: text };
    await notify(tx, { recipients, kind: "thread_reply", payload, conferenceId, documentId: c.documentId, actorId: actor.userId });
  });
}

/**
 * The chair's decision on proposals: their sponsoring delegations and co-sponsors are told; for a
 * breakout's package, which no delegation sponsors, its facilitator and taking-part delegations.
 */
export async function decisionNotices(
  tx: Db,
  actor: Actor,
  d: {
    documentId: string;
    proposals: readonly { id: string; number: number; delegationId: string | null }[];
    decision: NotificationPayloads["proposal_decided"]["decision"];
    reason: string;
  },
): Promise<void> {
  await withoutFailing(tx, "a decision", async (tx) => {
    const { conferenceId, documentTitle } = await statementOf(tx, d.documentId);
    for (const p of d.proposals) {
      const cosponsors = await tx<{ delegationId: string }[]>`
      select delegation_id as "delegationId" from proposal_positions where proposal_id = ${p.id} and position = 'cosponsor'`;
      const breakout = await packageParticipants(tx, p.id);
      const delegations = [
        ...(p.delegationId ? [p.delegationId] : []),
        ...cosponsors.map((c) => c.delegationId),
        ...breakout.delegationIds,
      ];
      const members = await delegationMembers(tx, conferenceId, delegations);
      const recipients = [...new Set([...(breakout.facilitatorId ? [breakout.facilitatorId] : []), ...members])];
      const payload: NotificationPayloads["proposal_decided"] = {
        documentTitle,
        path: `/documents/${d.documentId}/proposals/${p.id}`,
        proposal: `P${p.number}`,
        decision: d.decision,
        reason: d.reason ? excerpt(d.reason, excerptLength) : null,
      };
      await notify(tx, { recipients, kind: "proposal_decided", payload, conferenceId, documentId: d.documentId, actorId: actor.userId });
    }
  });
}

type SilenceKind = "silence_opened" | "silence_broken" | "silence_passed" | "silence_deadline";
type SilenceDetails<K extends SilenceKind> = Omit<NotificationPayloads[K], "documentTitle" | "path">;

/** Where the silence procedure stands: everyone who sees the negotiation is told. */
export async function silenceNotices<K extends SilenceKind>(
  tx: Db,
  actorId: string | null,
  documentId: string,
  kind: K,
  details: SilenceDetails<K>,
): Promise<void> {
  await withoutFailing(tx, kind, (tx) => writeSilenceNotices(tx, actorId, documentId, kind, details));
}

/** `silenceNotices` that throws on failure, for the deadline notices, whose claim must then roll back and be tried again. */
export async function writeSilenceNotices<K extends SilenceKind>(
  tx: Db,
  actorId: string | null,
  documentId: string,
  kind: K,
  details: SilenceDetails<K>,
): Promise<void> {
  const { conferenceId, documentTitle } = await statementOf(tx, documentId);
  const recipients = await conferenceNegotiationSeers(tx, conferenceId);
  const payload = { ...details, documentTitle, path: `/documents/${documentId}` } as NotificationPayloads[K];
  await writeNotice(tx, { recipients, kind, payload, conferenceId, documentId, actorId });
}

/**
 * The chair set up a breakout, or added delegations to one: the facilitator (when new) and the
 * members of the delegations now taking part are invited. A closed breakout's invitation reaches
 * exactly its participants, who are those it is seen by.
 */
export async function breakoutInvitationNotices(
  tx: Db,
  actor: Actor,
  b: { documentId: string; breakoutId: string; breakoutTitle: string; facilitatorId: string | null; delegationIds: readonly string[] },
): Promise<void> {
  await withoutFailing(tx, "a breakout invitation", async (tx) => {
    const { conferenceId, documentTitle } = await statementOf(tx, b.documentId);
    const members = await delegationMembers(tx, conferenceId, b.delegationIds);
    const recipients = [...new Set([...(b.facilitatorId ? [b.facilitatorId] : []), ...members])];
    const { authorName } = await authorOf(tx, actor);
    const payload: NotificationPayloads["breakout_invited"] = {
      documentTitle,
      path: `/documents/${b.documentId}/breakouts/${b.breakoutId}`,
      breakoutTitle: b.breakoutTitle,
      invitedBy: authorName,
    };
    await notify(tx, { recipients, kind: "breakout_invited", payload, conferenceId, documentId: b.documentId, actorId: actor.userId });
  });
}
