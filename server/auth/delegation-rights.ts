import type { Db } from "../db/sql";
import type { MembershipRow } from "../queries/memberships";
import { negotiatingKinds, type DelegationKind } from "../../app/statement/vocabulary";

/**
 * What a delegation may do in the negotiation, by its kind and its conference's setting: the one
 * place that decides it. Member States, regional integration organisations and groups negotiate:
 * they propose, signal, take positions on proposals, count toward consensus and may break
 * silence. Observer States, UN entities, intergovernmental and non-governmental organisations
 * comment, and propose (and co-sponsor) only where the conference allows it.
 */
export interface DelegationRights {
  negotiates: boolean;
  mayPropose: boolean;
}

export const noRights: DelegationRights = { negotiates: false, mayPropose: false };

export const negotiates = (kind: DelegationKind): boolean => negotiatingKinds.includes(kind);

export function delegationRights(kind: DelegationKind, conference: { nonNegotiatingMayPropose: boolean }): DelegationRights {
  const full = negotiates(kind);
  return { negotiates: full, mayPropose: full || conference.nonNegotiatingMayPropose };
}

/**
 * A person's membership of a conference with their delegation's rights as they stand now (its kind
 * and the conference's setting), in one round trip: every request and connection asks it.
 */
export async function findMembershipRights(
  sql: Db,
  conferenceId: string,
  userId: string,
): Promise<(MembershipRow & { rights: DelegationRights }) | null> {
  const [row] = await sql<(MembershipRow & { kind: DelegationKind | null; nonNegotiatingMayPropose: boolean })[]>`
    select m.conference_id as "conferenceId", m.user_id as "userId", m.role, m.delegation_id as "delegationId", m.language,
           d.kind, c.non_negotiating_may_propose as "nonNegotiatingMayPropose"
    from memberships m join conferences c on c.id = m.conference_id left join delegations d on d.id = m.delegation_id
    where m.conference_id = ${conferenceId} and m.user_id = ${userId}`;
  if (!row) return null;
  const { kind, nonNegotiatingMayPropose, ...membership } = row;
  return { ...membership, rights: kind ? delegationRights(kind, { nonNegotiatingMayPropose }) : noRights };
}

/** Why a delegation that does not negotiate is refused, for the refusals and the disabled controls. */
export const notNegotiatingReason =
  "Only delegations that negotiate (Member States, regional organisations and groups) may do this; yours takes part as an observer.";
export const mayNotProposeReason =
  "In this conference, only delegations that negotiate (Member States, regional organisations and groups) make proposals.";

/** What a delegate of a delegation that does not negotiate is told on the statement page; null for everyone else. */
export function participationNote(rights: DelegationRights, delegate: boolean): string | null {
  if (!delegate || rights.negotiates) return null;
  return rights.mayPropose
    ? "Your delegation takes part without negotiating: you comment and may propose, but do not signal, support or object, break silence, or count toward consensus."
    : "Your delegation takes part without negotiating: you comment, but do not propose, signal, break silence, or count toward consensus.";
}
