import type { LoaderFunctionArgs, TypedResponse } from "@remix-run/node";
import { canSeeProposal, findProposal, findRevision } from "../../server/queries/proposals";
import { requireNegotiationPermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";
import { actorOf } from "../../server/negotiation/actor";
import type { ProposalKind } from "~/statement/vocabulary";

/** An earlier revision as its proposal's page shows it. */
export interface EarlierRevision {
  revision: number;
  submittedByName: string;
  submittedAt: string;
  text: string;
  baseText: string;
  kind: ProposalKind;
}

/**
 * One earlier revision of a proposal, loaded by its page when someone opens it: pages carry only
 * the latest revision's text. Seen by whoever may see the proposal; 404 otherwise, as if absent.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  const proposal = await findProposal(context.sql, document.id, params.proposalId ?? "");
  invariantResponse(proposal && canSeeProposal(proposal, actorOf(access)), "There is no such proposal.", { status: 404 });
  const number = Number(params.revision);
  const revision = Number.isSafeInteger(number) && number > 0 ? await findRevision(context.sql, proposal.id, number) : null;
  invariantResponse(revision, "There is no such revision.", { status: 404 });
  const shown: EarlierRevision = { ...revision, submittedAt: revision.submittedAt.toISOString(), kind: proposal.kind };
  return Response.json(shown, { headers: { "Cache-Control": "private, no-store" } }) as TypedResponse<EarlierRevision>;
}
