import type { Access } from "./permissions";
import type { Confidentiality } from "../../app/statement/confidentiality";
import type { NegotiationEvent } from "../negotiation/events";

/**
 * How much of a conference's statements a person sees, by the conference's confidentiality:
 * "negotiation" (the text with its proposals, positions, signals, objections, comments,
 * consensus and compilation), "text" (the base text and its versions only) or "none". Every
 * loader, the event stream, the collaboration endpoint and the exports decide through here.
 * Confidentiality binds observers only: delegations, the chair and the secretariat negotiate.
 * Translators, the conference's language services, see the text whatever its confidentiality
 * (they translate it in closed session too) and never the negotiation.
 */
export type Sight = "negotiation" | "text" | "none";

const observerSight: Record<Confidentiality, Sight> = { open: "negotiation", standard: "text", closed: "none" };

export function sightOf(access: Pick<Access, "role">, conference: { confidentiality: Confidentiality }): Sight {
  if (access.role === "translator") return "text";
  return access.role === "observer" ? observerSight[conference.confidentiality] : "negotiation";
}

export const maySeeStatement = (access: Pick<Access, "role">, conference: { confidentiality: Confidentiality }) =>
  sightOf(access, conference) !== "none";

export const maySeeNegotiation = (access: Pick<Access, "role">, conference: { confidentiality: Confidentiality }) =>
  sightOf(access, conference) === "negotiation";

/**
 * Explanations of position are the negotiation's while it runs; once the text is adopted they are
 * part of its record (the annex every export prints), so whoever sees the text reads them.
 */
export const maySeeExplanations = (
  access: Pick<Access, "role">,
  conference: { confidentiality: Confidentiality },
  document: { adoptedAt: Date | null },
) => maySeeNegotiation(access, conference) || (document.adoptedAt !== null && maySeeStatement(access, conference));

/** Why a person is refused, in words the page shows. */
export const refusals: Record<Exclude<Sight, "negotiation">, string> = {
  none: "This conference is in closed session (informal consultations): observers do not see its statements.",
  text: "Observers of this conference see the base text and its versions only, not the negotiation.",
};

/**
/**
 * Events about the text itself (its versions, clause states, restores, translations, readings of it
 * in plenary, how the room's screen shows it, and which clauses are in a breakout: an open breakout
 * is seen by whoever sees the text); the rest are the negotiation's.
 */
const textTopics: readonly NegotiationEvent["topic"][] = ["versions", "states", "translations", "readings", "screen", "breakouts"];

export function mayReceive(sight: Sight, event: Pick<NegotiationEvent, "topic" | "afterAdoption">): boolean {
  if (sight === "negotiation") return true;
  // Explanations of position on an adopted statement are everyone's who sees it (`maySeeExplanations`).
  return sight === "text" && (textTopics.includes(event.topic) || (event.topic === "explanations" && event.afterAdoption === true));
}

/**
 * Whether a download shows the negotiation: the compilation and the rolling text carry the
 * proposals; anything else is the text (a draft's [brackets] come from open proposals, so a
 * viewer of the text alone gets the draft without them).
 */
export function downloadShowsNegotiation(query: URLSearchParams): boolean {
  return query.get("format") === "compilation" || query.get("rolling") === "1";
}
