import { useCallback, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { ClauseInfo } from "~/statement/numbering";
import { findDelegation } from "../../server/queries/delegations";
import { canSeeProposal, findProposal, listProposalEvents, listRevisions } from "../../server/queries/proposals";
import { summarize, visibleProposals } from "../../server/negotiation/proposal-views";
import {
  allowedPositions,
  decideProposal,
  mergeProposals,
  submitProposal,
  takePosition,
  withdrawPosition,
  withdrawProposal,
} from "../../server/negotiation/proposals";
import { StatementSubpage } from "~/components/StatementSubpage";
import { CsrfInput, ErrorList } from "~/components/forms";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { colorFor } from "~/statement/presence-colors";
import { readProtectedForm, requireNegotiationPermission } from "~/utils/auth.server";
import { formatUtc } from "~/utils/dates";
import { invalid, jsonOrNull, parseForm } from "~/utils/forms";
import { invariantResponse } from "~/utils/invariant";
import { ProposalDiff } from "~/negotiation/ProposalDiff";
import { ProposalEditor } from "~/negotiation/ProposalEditor";
import { CompromiseEditor } from "~/negotiation/CompromiseEditor";
import { EarlierRevisions } from "~/negotiation/EarlierRevisions";
import { WordDiff } from "~/negotiation/WordDiff";
import { positionHeading, proposalKindLabels, proposalStatusLabels } from "~/statement/negotiation-labels";
import { maxProposalTextLength, maxReasonLength } from "~/statement/limits";
import { actorOf } from "../../server/negotiation/actor";
import { isGroupMember } from "../../server/queries/delegation-groups";
import { answeringRefusals } from "~/utils/refusals.server";
import type { Position, ProposalEventKind, ProposalKind } from "~/statement/vocabulary";
import { useActionAnswer } from "~/negotiation/live";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  const actor = actorOf(access);
  const row = await findProposal(context.sql, document.id, params.proposalId ?? "");
  invariantResponse(row && canSeeProposal(row, actor), "There is no such proposal.", { status: 404 });
  const [{ proposals, clauses, doc }, events, revisions, delegation] = await Promise.all([
    visibleProposals(context.sql, document.id, actor),
    listProposalEvents(context.sql, row.id),
    listRevisions(context.sql, row.id),
    access.delegationId ? findDelegation(context.sql, conference.id, access.delegationId) : null,
  ]);
  // In full here, whatever its status: the lists link to this page for a set-aside proposal's text.
  const proposal = summarize(row, clauses, actor);
  const open = proposal.status === "draft" || proposal.status === "submitted";
  const submitted = proposal.status === "submitted";
  const ownDelegation = actor.delegationId !== null && row.delegationId === actor.delegationId;
  const inGroup =
    actor.delegationId && row.delegationId && !ownDelegation
      ? await isGroupMember(context.sql, row.delegationId, actor.delegationId)
      : false;
  const positions: Position[] = actor.delegationId !== null && !ownDelegation && submitted ? allowedPositions(actor, inGroup) : [];
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    me: { id: user.id, name: delegation ? `${user.name} (${delegation.code})` : user.name, color: colorFor(user.id) },
    proposal,
    events,
    // The latest revision is the proposal's text above; the earlier ones load when opened.
    earlierRevisions: revisions.slice(1).map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
    mergedIntoNumber: proposals.find((p) => p.id === proposal.mergedInto)?.number ?? null,
    myPosition: row.positions.find((p) => p.delegationId === actor.delegationId) ?? null,
    may: {
      submit: proposal.mine && open,
      withdraw: proposal.mine && open,
      positions,
      // A position taken before the delegation's rights changed can still be withdrawn.
      takePosition: positions.length > 0 || (row.positions.some((p) => p.delegationId === actor.delegationId) && submitted),
      decide: actor.isChair && submitted,
      // A breakout's package may be kept before the plenary for discussion, once.
      discuss: actor.isChair && submitted && proposal.package !== null && !proposal.package.inDiscussion,
    },
    // Open proposals on the same clause that a compromise may replace (for the chair); a package is decided whole.
    // The compromise starts from this proposal's text as written (or the clause's), formatting included.
    compromiseSeed:
      actor.isChair && submitted && onOneClause(proposal) ? (row.revision?.content ?? clauseContent(doc, clauses, row.clauseId)) : null,
    mergeable:
      actor.isChair && submitted && onOneClause(proposal)
        ? proposals
            .filter((p) => p.status === "submitted" && onOneClause(p) && p.clauseId === proposal.clauseId)
            .map((p) => ({ id: p.id, number: p.number, sponsor: p.sponsor, kind: p.kind }))
        : [],
  };
}

/** A proposal on one existing clause, which a compromise can replace. */
const onOneClause = (p: { kind: ProposalKind }) => p.kind !== "add" && p.kind !== "package";

/** A clause's content as the statement holds it, or none when the clause is gone. */
function clauseContent(doc: PMNode, clauses: readonly ClauseInfo[], clauseId: string | null): JSONContent[] | null {
  const clause = clauses.find((c) => c.id === clauseId);
  return clause ? ((doc.nodeAt(clause.pos)?.toJSON() as JSONContent | undefined)?.content ?? null) : null;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `P${data.proposal.number} · ${data.document.title} · Concord` : "Concord" },
];

// Lengths and required reasons are checked by the rules, after whether the person may act at all.
const reason = z
  .string()
  .optional()
  .transform((v) => v ?? "");
const reasonSchema = z.object({ reason });
// The compromise is the editor's JSON; what it may hold is checked by the rules (mergeProposals).
const mergeSchema = z.object({ content: reason, reason });
const intents = [
  "submit",
  "withdraw",
  "cosponsor",
  "support",
  "object",
  "align",
  "withdrawPosition",
  "accept",
  "reject",
  "discuss",
  "merge",
] as const;
type Intent = (typeof intents)[number];

/** Every step of a proposal; the rules (who may, in which state) are in server/negotiation/proposals.ts. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireNegotiationPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const intentField = form.get("intent");
  const intent = (typeof intentField === "string" ? intentField : "") as Intent;
  if (!intents.includes(intent)) return invalid({ errors: { form: ["Choose what to do."] } });
  const actor = actorOf(access);
  const documentId = document.id;
  const proposalId = params.proposalId ?? "";
  const sql = context.sql;
  const parsed = intent === "merge" ? parseForm(form, mergeSchema) : parseForm(form, reasonSchema);
  if (!parsed.ok) return invalid(parsed);
  const reasonText = parsed.data.reason;
  const compromiseContent = "content" in parsed.data ? jsonOrNull(String(parsed.data.content)) : null;
  const perform = async (): Promise<string> => {
    switch (intent) {
      case "submit": {
        const { revision } = await submitProposal(sql, actor, documentId, proposalId);
        return revision === 1 ? "Submitted." : `Revision ${revision} submitted.`;
      }
      case "withdraw":
        await withdrawProposal(sql, actor, documentId, proposalId);
        return "Withdrawn.";
      case "cosponsor":
      case "support":
      case "object":
      case "align":
        await takePosition(sql, actor, documentId, proposalId, intent, reasonText);
        return {
          cosponsor: "Your delegation co-sponsors it.",
          support: "Your delegation supports it.",
          object: "Your objection is recorded.",
          align: "Your delegation aligns with its group's proposal.",
        }[intent];
      case "withdrawPosition":
        await withdrawPosition(sql, actor, documentId, proposalId);
        return "Your delegation's position is withdrawn.";
      case "accept":
      case "reject":
      case "discuss":
        await decideProposal(sql, context.collab, actor, { documentId, proposalId, decision: intent, reason: reasonText });
        return { accept: "Accepted; the text is in the statement.", reject: "Rejected.", discuss: "Open for discussion." }[intent];
      case "merge": {
        const { number } = await mergeProposals(sql, actor, {
          documentId,
          conferenceId: conference.id,
          proposalIds: form.getAll("merge").map(String),
          content: compromiseContent,
          reason: reasonText,
        });
        return `Merged into the compromise P${number}.`;
      }
    }
  };
  return answeringRefusals(invalid, async () => ({ ok: true as const, message: await perform(), errors: {} }));
}

const eventLabels: Record<ProposalEventKind, string> = {
  created: "created it",
  submitted: "submitted it",
  revised: "submitted a revision",
  withdrawn: "withdrew it",
  cosponsored: "co-sponsored it",
  supported: "supported it",
  objected: "objected",
  aligned: "aligned with the group's proposal",
  position_withdrawn: "withdrew their position",
  accepted: "accepted it",
  rejected: "rejected it",
  merged: "merged it into a compromise",
  not_taken_up: "closed it as not taken up when the text was adopted",
  discussion_opened: "opened it for discussion",
};

export default function ProposalPage() {
  const { document, conference, me, proposal, events, earlierRevisions, mergedIntoNumber, myPosition, may, mergeable, compromiseSeed } =
    useLoaderData<typeof loader>();
  const actionData = useActionAnswer<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [draftText, setDraftText] = useState<string | null>(null);
  const onText = useCallback((t: string) => setDraftText(t), []);
  const user = useMemo(() => ({ name: me.name, color: me.color }), [me.name, me.color]);
  const name = `P${proposal.number}`;
  const drafting = proposal.mine && proposal.textDocumentId !== null;
  const open = proposal.status === "draft" || proposal.status === "submitted";
  const errors = actionData && !actionData.ok ? Object.values(actionData.errors ?? {}).flatMap((e) => e ?? []) : null;
  // The server refuses a longer draft at submission; the drafters see the count as they write.
  const overBy = drafting && draftText !== null ? draftText.length - maxProposalTextLength : -1;

  return (
    <StatementSubpage conference={conference} document={document} mainClassName="proposal-page">
      <h1>
        {name} · {proposalKindLabels[proposal.kind]} {proposal.target}
      </h1>
      <p className="proposal-meta">
        <span className={`proposal-status status-${proposal.status}`} data-testid="proposal-status">
          {proposalStatusLabels[proposal.status]}
        </span>{" "}
        · {proposal.sponsor}
        {proposal.revision ? ` · revision ${proposal.revision}` : ""}
        {proposal.decidedByName ? ` · decided by ${proposal.decidedByName}` : ""}
        {proposal.decisionReason ? `: “${proposal.decisionReason}”` : ""}
        {mergedIntoNumber ? ` · merged into P${mergedIntoNumber}` : ""}
        {proposal.package?.inDiscussion ? " · open for discussion" : ""}
      </p>
      {proposal.package ? (
        <p className="help">
          The outcome of breakout{" "}
          <Link to={`/documents/${document.id}/breakouts/${proposal.package.breakoutId}`}>{proposal.package.breakout}</Link>, one proposal
          for all its clauses: accepting it gives each clause its text here, keeping its place and number.
        </p>
      ) : null}
      {actionData?.ok ? (
        <p className="notice" role="status">
          {actionData.message}
        </p>
      ) : null}
      <ErrorList errors={errors} />

      {drafting ? (
        <section aria-labelledby="draft-heading" className="panel">
          <h2 id="draft-heading">{proposal.compromise ? "Your draft" : "Your delegation’s draft"}</h2>
          <p className="help">
            {open
              ? "Your delegation writes here together; others see only what you submit."
              : `${name} is ${proposalStatusLabels[proposal.status].toLowerCase()}; its draft can no longer change.`}
          </p>
          <ProposalEditor
            textDocumentId={proposal.textDocumentId!}
            userId={me.id}
            user={user}
            label={`Proposed text of ${name}`}
            onText={onText}
          />
          {open && draftText !== null ? (
            <p className={overBy > 0 ? "hint field-errors" : "hint"} data-testid="draft-length" role={overBy > 0 ? "alert" : undefined}>
              {draftText.length} of {maxProposalTextLength} characters
              {overBy > 0 ? ` — shorten it by ${overBy} to submit it.` : ""}
            </p>
          ) : null}
          {open ? (
            <>
              <h3>The draft against {proposal.kind === "add" ? "nothing (a new clause)" : proposal.clauseLabel}</h3>
              <div className="proposal-diff" data-testid="draft-diff">
                <WordDiff from={proposal.kind === "add" ? "" : (proposal.currentText ?? proposal.baseText)} to={draftText ?? ""} />
              </div>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="text-heading" className="panel">
        <h2 id="text-heading">{drafting ? "As submitted (what others see)" : "The proposed change"}</h2>
        {proposal.package ? (
          proposal.package.clauses.map((c) => (
            <div key={c.clauseId} className="proposal-diff" data-testid="package-clause">
              <h3>{c.label ?? "A clause since removed"}</h3>
              <WordDiff from={c.baseText} to={c.text} />
            </div>
          ))
        ) : proposal.proposedText !== null || proposal.kind === "delete" || proposal.kind === "retain" ? (
          <div className="proposal-diff" data-testid="proposal-diff">
            <ProposalDiff proposal={proposal} text={proposal.proposedText} />
          </div>
        ) : (
          <p className="muted">Not submitted yet.</p>
        )}
      </section>

      <EarlierRevisions documentId={document.id} proposalId={proposal.id} revisions={earlierRevisions} />

      <section aria-labelledby="positions-heading" className="panel">
        <h2 id="positions-heading">Delegations</h2>
        <p>Sponsor: {proposal.sponsor}</p>
        {(["cosponsor", "support", "object", "align"] as const).map((kind) => {
          const list = proposal.positions.filter((p) => p.position === kind);
          // Only a group's proposal has aligned members.
          if (kind === "align" && list.length === 0) return null;
          return (
            <div key={kind}>
              <h3>{positionHeading(kind, list.length)}</h3>
              {list.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul className={`positions positions-${kind}`}>
                  {list.map((p) => (
                    <li key={p.delegationId}>
                      {p.delegationName} ({p.delegationCode}){p.reason ? `: “${p.reason}”` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </section>

      <section aria-labelledby="actions-heading" className="panel proposal-actions">
        <h2 id="actions-heading">What you can do</h2>
        {!may.submit && !may.withdraw && !may.takePosition && !may.decide ? <p className="muted">Nothing at this stage.</p> : null}
        {may.submit || may.withdraw ? (
          <Form method="post" className="action-row">
            <CsrfInput />
            {may.submit ? (
              <button type="submit" name="intent" value="submit" className="button primary" disabled={busy || overBy > 0}>
                {proposal.revision ? "Submit revision" : "Submit"}
              </button>
            ) : null}
            <button type="submit" name="intent" value="withdraw" className="button danger" disabled={busy}>
              Withdraw proposal
            </button>
          </Form>
        ) : null}
        {may.takePosition ? (
          <Form method="post" className="position-form">
            <CsrfInput />
            <p>
              Your delegation’s position: <strong>{myPosition ? positionHeading(myPosition.position, 1) : "none"}</strong>
            </p>
            <label htmlFor="position-reason">Reason{may.positions.includes("object") ? " (required for an objection)" : ""}</label>
            <textarea id="position-reason" name="reason" maxLength={maxReasonLength} rows={2} />
            <div className="action-row">
              {may.positions.includes("align") ? (
                <button type="submit" name="intent" value="align" className="button primary" disabled={busy}>
                  Align with the group
                </button>
              ) : null}
              {may.positions.includes("cosponsor") ? (
                <button type="submit" name="intent" value="cosponsor" className="button" disabled={busy}>
                  Co-sponsor
                </button>
              ) : null}
              {may.positions.includes("support") ? (
                <button type="submit" name="intent" value="support" className="button" disabled={busy}>
                  Support
                </button>
              ) : null}
              {may.positions.includes("object") ? (
                <button type="submit" name="intent" value="object" className="button danger" disabled={busy}>
                  Object
                </button>
              ) : null}
              {myPosition ? (
                <button type="submit" name="intent" value="withdrawPosition" className="button" disabled={busy}>
                  Withdraw position
                </button>
              ) : null}
            </div>
          </Form>
        ) : null}
        {may.decide ? (
          <>
            <Form method="post" className="decision-form">
              <CsrfInput />
              <label htmlFor="decision-reason">Reason (optional)</label>
              <textarea id="decision-reason" name="reason" maxLength={maxReasonLength} rows={2} />
              <div className="action-row">
                <button type="submit" name="intent" value="accept" className="button primary" disabled={busy}>
                  Accept
                </button>
                <button type="submit" name="intent" value="reject" className="button danger" disabled={busy}>
                  Reject
                </button>
                {may.discuss ? (
                  <button type="submit" name="intent" value="discuss" className="button" disabled={busy}>
                    Open for discussion
                  </button>
                ) : null}
              </div>
            </Form>
            {mergeable.length > 0 ? (
              <Form method="post" className="merge-form">
                <CsrfInput />
                <fieldset>
                  <legend>Merge into a compromise text</legend>
                  {mergeable.map((m) => (
                    <label key={m.id} className="checkbox">
                      <input type="checkbox" name="merge" value={m.id} defaultChecked={m.id === proposal.id} /> P{m.number} (
                      {proposalKindLabels[m.kind]}, {m.sponsor})
                    </label>
                  ))}
                  <p className="field-label" id="merge-text-label">
                    Compromise text
                  </p>
                  <CompromiseEditor
                    initial={compromiseSeed ?? []}
                    name="content"
                    labelledBy="merge-text-label"
                    maxLength={maxProposalTextLength}
                  />
                  <label htmlFor="merge-reason">Reason (optional)</label>
                  <textarea id="merge-reason" name="reason" maxLength={maxReasonLength} rows={2} />
                  <button type="submit" name="intent" value="merge" className="button" disabled={busy}>
                    Merge
                  </button>
                </fieldset>
              </Form>
            ) : null}
          </>
        ) : null}
      </section>

      <section aria-labelledby="history-heading" className="panel">
        <h2 id="history-heading">History</h2>
        <ol className="proposal-history">
          {events.map((e) => (
            <li key={e.id}>
              <time dateTime={new Date(e.createdAt).toISOString()}>{formatUtc(e.createdAt)}</time> — {e.userName}
              {e.delegationCode ? ` (${e.delegationCode})` : ""} {eventLabels[e.kind]}
              {e.reason ? `: “${e.reason}”` : ""}
            </li>
          ))}
        </ol>
      </section>
    </StatementSubpage>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
