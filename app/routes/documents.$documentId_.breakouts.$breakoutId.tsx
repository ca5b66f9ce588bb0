import { useCallback, useMemo } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import type { JSONContent } from "@tiptap/core";
import { z } from "zod";
import { currentStatement } from "../../server/negotiation/numbering";
import { readDraft } from "../../server/negotiation/statement";
import { actorOf } from "../../server/negotiation/actor";
import { findDelegation, listDelegations } from "../../server/queries/delegations";
import { findBreakout, findPackage } from "../../server/queries/breakouts";
import { breakoutName, mayCommentInBreakout, mayReadBreakout, mayWriteBreakout } from "../../server/breakouts/rules";
import { closeBreakout, setBreakoutParticipants, submitPackage } from "../../server/breakouts/breakouts";
import { assertMayCommentInBreakout, breakoutThreads, commentInBreakout } from "../../server/breakouts/breakout-comments";
import {
  assertMayProposeInBreakout,
  breakoutProposalName,
  breakoutProposals,
  decideInBreakout,
  proposeInBreakout,
  withdrawInBreakout,
} from "../../server/breakouts/breakout-proposals";
import { refuse } from "../../server/negotiation/refusal";
import { maySeeNegotiation } from "../../server/auth/visibility";
import type { CommentThread } from "../../server/negotiation/comments";
import { StatementSubpage } from "~/components/StatementSubpage";
import { CsrfInput, ErrorList } from "~/components/forms";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { ProposalEditor } from "~/negotiation/ProposalEditor";
import { WordDiff } from "~/negotiation/WordDiff";
import { ClauseBody } from "~/versions/StatementText";
import { colorFor } from "~/statement/presence-colors";
import { maxCommentLength, maxProposalTextLength } from "~/statement/limits";
import { proposalStatusLabels } from "~/statement/negotiation-labels";
import { CompromiseEditor } from "~/negotiation/CompromiseEditor";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusals.server";
import { invalid, jsonOrNull, parseForm } from "~/utils/forms";
import { invariantResponse } from "~/utils/invariant";
import { formatUtc } from "~/utils/dates";
import { useActionAnswer } from "~/negotiation/live";
import { breakoutStatusLabel, packageStatusLabel } from "~/breakouts/labels";

const noThreads: Record<string, CommentThread[]> = {};

/** The breakout as this person may see it, or 404 as if it did not exist (a closed breakout to a non-participant). */
async function visibleBreakout(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const { request, params, context } = args;
  const found = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const breakout = await findBreakout(context.sql, found.document.id, params.breakoutId ?? "");
  invariantResponse(breakout && mayReadBreakout(breakout, found.access, found.conference), "There is no such breakout.", { status: 404 });
  return { ...found, breakout };
}

/**
 * One breakout: its clauses, each with the statement's text now and the breakout text, which the
 * facilitator and the participating delegations write live together; its outcome, once submitted,
 * as one package the chair accepts, rejects or opens for discussion.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { user, access, conference, document, breakout } = await visibleBreakout(args);
  const sql = args.context.sql;
  const actor = actorOf(access);
  const [statement, pkg, delegations, delegation, threads, proposals] = await Promise.all([
    currentStatement(sql, document.id),
    findPackage(sql, breakout.id),
    listDelegations(sql, conference.id),
    access.delegationId ? findDelegation(sql, conference.id, access.delegationId) : null,
    // Comments are the negotiation's: an observer who sees the text alone reads an open breakout's text, not its comments.
    maySeeNegotiation(access, conference) ? breakoutThreads(sql, breakout, user.id) : noThreads,
    // Its proposals likewise: the negotiation's, to whoever may see the breakout.
    maySeeNegotiation(access, conference) ? breakoutProposals(sql, breakout, actor) : [],
  ]);
  const clauses = await Promise.all(
    breakout.clauses.map(async (c) => {
      const clause = statement.clauses.find((s) => s.id === c.clauseId);
      return {
        clauseId: c.clauseId,
        label: clause?.label ?? "A clause since removed",
        textDocumentId: c.textDocumentId,
        statement: clause ? (statement.doc.nodeAt(clause.pos)!.content.toJSON() as JSONContent[]) : null,
        statementText: clause?.text ?? "",
        breakout: (await readDraft(sql, c.textDocumentId)).content,
      };
    }),
  );
  return {
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    breakout: {
      id: breakout.id,
      name: breakoutName(breakout),
      facilitator: breakout.facilitatorName,
      confidential: breakout.confidential,
      status: breakout.status,
      delegations: delegations.filter((d) => breakout.delegationIds.includes(d.id)).map((d) => ({ id: d.id, name: d.name, code: d.code })),
    },
    clauses,
    threads,
    proposals,
    package: pkg
      ? {
          proposalId: pkg.id,
          number: pkg.number,
          status: pkg.status,
          submittedAt: formatUtc(pkg.submittedAt),
          decidedAt: pkg.decidedAt ? formatUtc(pkg.decidedAt) : null,
          reason: pkg.reason,
          clauses: pkg.clauses.map((c) => ({ ...c, label: clauses.find((x) => x.clauseId === c.clauseId)?.label ?? "" })),
        }
      : null,
    me: { id: user.id, name: delegation ? `${user.name} (${delegation.code})` : user.name, color: colorFor(user.id) },
    may: {
      write: mayWriteBreakout(breakout, access),
      submit: breakout.status === "active" && breakout.facilitatorId === user.id,
      close: actor.isChair && breakout.status === "active",
      participants: actor.isChair && breakout.status !== "ended",
      comment: mayCommentInBreakout(breakout, access),
      propose: mayWriteBreakout(breakout, access),
      decideProposals: breakout.status === "active" && breakout.facilitatorId === user.id,
    },
    allDelegations: actor.isChair ? delegations.map((d) => ({ id: d.id, name: d.name, code: d.code })) : [],
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.breakout.name} · ${data.document.title} · Concord` : "Concord" },
];

const intents = ["submit", "close", "participants", "comment", "propose", "acceptProposal", "rejectProposal", "withdrawProposal"] as const;
// What the proposal holds is read by the rules (sentClauseContent), after whether the person may propose at all.
const proposeSchema = z.object({
  clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
  content: z.string({ error: "Write the proposed text." }).max(200_000, "The proposed text is too long."),
});
const decideSchema = z.object({
  proposalId: z.string({ error: "Choose a proposal." }).max(100),
  reason: z
    .string()
    .optional()
    .transform((v) => v ?? ""),
});
const commentSchema = z.object({
  clauseId: z.string({ error: "Choose a clause." }).trim().min(1, "Choose a clause.").max(100),
  threadId: z
    .string()
    .max(100)
    .optional()
    .transform((v) => v || null),
  body: z
    .string({ error: "Write a comment." })
    .trim()
    .min(1, "Write a comment.")
    .max(maxCommentLength, `A comment has at most ${maxCommentLength} characters.`),
});

/** Every step of a breakout; who may take it, and when, is in server/breakouts/ (breakouts.ts, breakout-proposals.ts, breakout-comments.ts). */
export async function action(args: ActionFunctionArgs) {
  const { user, access, conference, breakout } = await visibleBreakout(args);
  const { request, context } = args;
  const form = await readProtectedForm(request, context, user);
  const intentField = form.get("intent");
  const intent = (typeof intentField === "string" ? intentField : "") as (typeof intents)[number];
  if (!intents.includes(intent)) return invalid({ errors: { form: ["Choose what to do."] } });
  const actor = actorOf(access);
  if (intent === "comment") {
    return answeringRefusals(invalid, async () => {
      // Who may comment is answered before what they wrote.
      assertMayCommentInBreakout(breakout, actor);
      const comment = parseForm(form, commentSchema);
      if (!comment.ok) return invalid(comment);
      await commentInBreakout(context.sql, actor, breakout, comment.data);
      return { ok: true as const, message: "Comment posted.", errors: {} };
    });
  }
  if (intent === "propose") {
    return answeringRefusals(invalid, async () => {
      assertMayProposeInBreakout(breakout, actor);
      const proposal = parseForm(form, proposeSchema);
      if (!proposal.ok) return invalid(proposal);
      const { number } = await proposeInBreakout(context.sql, actor, breakout, {
        conferenceId: conference.id,
        clauseId: proposal.data.clauseId,
        content: jsonOrNull(proposal.data.content),
      });
      return { ok: true as const, message: `${breakoutProposalName(breakout, { number })} tabled.`, errors: {} };
    });
  }
  const perform = async (): Promise<string> => {
    switch (intent) {
      case "acceptProposal":
      case "rejectProposal":
      case "withdrawProposal": {
        const chosen = parseForm(form, decideSchema);
        if (!chosen.ok) return refuse(400, "Choose a proposal.", "proposalId");
        if (intent === "withdrawProposal") {
          await withdrawInBreakout(context.sql, actor, breakout, chosen.data.proposalId);
          return "Withdrawn.";
        }
        const decision = intent === "acceptProposal" ? "accept" : "reject";
        await decideInBreakout(context.sql, context.collab, actor, breakout, { ...chosen.data, decision });
        return decision === "accept" ? "Accepted; its text is in the breakout text." : "Rejected.";
      }
      case "submit": {
        const { number } = await submitPackage(context.sql, actor, breakout);
        return `The outcome is submitted to the plenary as one package, proposal P${number}.`;
      }
      case "close":
        await closeBreakout(context.sql, actor, breakout);
        return "The breakout is closed.";
      case "participants":
        await setBreakoutParticipants(context.sql, actor, breakout, {
          conferenceId: conference.id,
          delegationIds: form.getAll("delegations").map(String),
        });
        return "Participants changed.";
    }
  };
  return answeringRefusals(invalid, async () => ({ ok: true as const, message: await perform(), errors: {} }));
}

export default function BreakoutPage() {
  const {
    document,
    conference,
    breakout,
    clauses,
    threads,
    proposals,
    package: pkg,
    me,
    may,
    allDelegations,
  } = useLoaderData<typeof loader>();
  const answer = useActionAnswer<typeof action>();
  const busy = useNavigation().state !== "idle";
  const user = useMemo(() => ({ name: me.name, color: me.color }), [me.name, me.color]);
  const onText = useCallback(() => undefined, []);
  const errors = answer && !answer.ok ? Object.values(answer.errors ?? {}).flatMap((e) => e ?? []) : null;
  return (
    <StatementSubpage conference={conference} document={document} title={`${document.title} — Breakout ${breakout.name}`} breakouts>
      <p className="breakout-meta">
        <Link to={`/documents/${document.id}/breakouts`}>All breakouts</Link> · Facilitator: {breakout.facilitator} · Delegations:{" "}
        {breakout.delegations.map((d) => d.code).join(", ") || "none"} ·{" "}
        <span data-testid="breakout-status">{breakoutStatusLabel(breakout.status)}</span>
        {breakout.confidential ? " · closed (participants only)" : " · open"}
      </p>
      {answer?.ok ? (
        <p className="notice" role="status">
          {answer.message}
        </p>
      ) : null}
      <ErrorList errors={errors} />
      <section className="panel" aria-labelledby="breakout-text-heading">
        <h2 id="breakout-text-heading">Breakout text</h2>
        {breakout.status === "active" ? (
          <p className="help">
            {may.write
              ? "The facilitator and the delegations taking part write here together, live."
              : "The facilitator and the delegations taking part write this text; you follow it live."}
          </p>
        ) : null}
        {clauses.map((c) => (
          <div key={c.clauseId} className="breakout-clause" data-clause-id={c.clauseId}>
            <h3>{c.label}</h3>
            {breakout.status === "active" ? (
              <ProposalEditor
                textDocumentId={c.textDocumentId}
                userId={me.id}
                user={user}
                label={`Breakout text of ${c.label}`}
                onText={onText}
              />
            ) : (
              <div className="breakout-text">
                <ClauseBody content={c.breakout} />
              </div>
            )}
            <details>
              <summary>{c.label} in the statement now</summary>
              {c.statement ? <ClauseBody content={c.statement} /> : <p className="muted">No longer in the statement.</p>}
            </details>
            <BreakoutProposals
              clauseId={c.clauseId}
              label={c.label}
              proposals={proposals.filter((p) => p.clauseId === c.clauseId)}
              seed={c.breakout}
              mayPropose={may.propose}
              mayDecide={may.decideProposals}
            />
            <BreakoutComments clauseId={c.clauseId} label={c.label} threads={threads[c.clauseId] ?? []} mayComment={may.comment} />
          </div>
        ))}
      </section>
      {pkg ? (
        <section className="panel" aria-labelledby="package-heading">
          <h2 id="package-heading">Package</h2>
          <p>
            <Link to={`/documents/${document.id}/proposals/${pkg.proposalId}`}>P{pkg.number}</Link>, before the plenary as a proposal (the
            chair decides it there) · <span data-testid="package-status">{packageStatusLabel(pkg.status)}</span> · submitted{" "}
            {pkg.submittedAt}
            {pkg.decidedAt ? ` · decided ${pkg.decidedAt}` : ""}
            {pkg.reason ? `: “${pkg.reason}”` : ""}
          </p>
          {pkg.clauses.map((c) => (
            <div key={c.clauseId} className="proposal-diff">
              <h3>{c.label}</h3>
              <WordDiff from={c.baseText} to={c.text} />
            </div>
          ))}
        </section>
      ) : null}
      <section className="panel" aria-labelledby="breakout-actions-heading">
        <h2 id="breakout-actions-heading">What you can do</h2>
        {!may.submit && !may.close && !may.participants ? <p className="muted">Nothing at this stage.</p> : null}
        {may.submit ? (
          <Form method="post" className="action-row">
            <CsrfInput />
            <button type="submit" name="intent" value="submit" className="button primary" disabled={busy}>
              Submit the outcome to the plenary
            </button>
          </Form>
        ) : null}
        {may.participants ? (
          <Form method="post" className="breakout-form">
            <CsrfInput />
            <fieldset>
              <legend>Delegations taking part</legend>
              {allDelegations.map((d) => (
                <label key={d.id} className="checkbox">
                  <input type="checkbox" name="delegations" value={d.id} defaultChecked={breakout.delegations.some((p) => p.id === d.id)} />{" "}
                  {d.name} ({d.code})
                </label>
              ))}
            </fieldset>
            <button type="submit" name="intent" value="participants" className="button" disabled={busy}>
              Change participants
            </button>
          </Form>
        ) : null}
        {may.close ? (
          <Form method="post" className="action-row">
            <CsrfInput />
            <button type="submit" name="intent" value="close" className="button danger" disabled={busy}>
              Close the breakout without an outcome
            </button>
          </Form>
        ) : null}
      </section>
    </StatementSubpage>
  );
}

/** A clause's comment threads in the breakout, with a reply under each and a new thread below, for its participants. */
/** The proposals on one of the breakout's clauses, and the forms to table, decide and withdraw them. */
function BreakoutProposals({
  clauseId,
  label,
  proposals,
  seed,
  mayPropose,
  mayDecide,
}: {
  clauseId: string;
  label: string;
  proposals: SerializeFrom<typeof loader>["proposals"];
  seed: JSONContent[];
  mayPropose: boolean;
  mayDecide: boolean;
}) {
  const busy = useNavigation().state !== "idle";
  const headingId = `breakout-proposals-${clauseId}`;
  return (
    <section className="breakout-proposals" aria-labelledby={headingId}>
      <h4 id={headingId}>Proposals on {label}</h4>
      {proposals.length === 0 ? <p className="muted">None yet.</p> : null}
      {proposals.map((p) => (
        <div key={p.id} className="proposal-diff" data-testid="breakout-proposal">
          <p>
            <strong>{p.name}</strong> · {p.sponsor} · <span data-testid="breakout-proposal-status">{proposalStatusLabels[p.status]}</span>
            {p.decisionReason ? `: “${p.decisionReason}”` : ""}
          </p>
          <WordDiff from={p.baseText} to={p.text} />
          {p.status === "submitted" && (mayDecide || p.mine) ? (
            <Form method="post" className="action-row">
              <CsrfInput />
              <input type="hidden" name="proposalId" value={p.id} />
              {mayDecide ? (
                <>
                  <button type="submit" name="intent" value="acceptProposal" className="button small primary" disabled={busy}>
                    Accept {p.name}
                  </button>
                  <button type="submit" name="intent" value="rejectProposal" className="button small danger" disabled={busy}>
                    Reject {p.name}
                  </button>
                </>
              ) : null}
              {p.mine ? (
                <button type="submit" name="intent" value="withdrawProposal" className="button small" disabled={busy}>
                  Withdraw {p.name}
                </button>
              ) : null}
            </Form>
          ) : null}
        </div>
      ))}
      {mayPropose ? (
        <details>
          <summary>Propose a text for {label}</summary>
          <Form method="post" className="breakout-form">
            <CsrfInput />
            <input type="hidden" name="clauseId" value={clauseId} />
            <p className="field-label" id={`${headingId}-text`}>
              Proposed text of {label}
            </p>
            <CompromiseEditor initial={seed} name="content" labelledBy={`${headingId}-text`} maxLength={maxProposalTextLength} />
            <button type="submit" name="intent" value="propose" className="button" disabled={busy}>
              Table the proposal
            </button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}

function BreakoutComments({
  clauseId,
  label,
  threads,
  mayComment,
}: {
  clauseId: string;
  label: string;
  threads: SerializeFrom<typeof loader>["threads"][string];
  mayComment: boolean;
}) {
  const busy = useNavigation().state !== "idle";
  return (
    <section className="breakout-comments" aria-label={`Comments on ${label}`}>
      {threads.map((t) => (
        <div key={t.id} className="thread" data-testid="breakout-thread">
          <p>
            <strong>
              {t.authorName} ({t.affiliation})
            </strong>
            : {t.body}
          </p>
          {t.replies.map((r) => (
            <p key={r.id} className="reply">
              <strong>
                {r.authorName} ({r.affiliation})
              </strong>
              : {r.body}
            </p>
          ))}
          {mayComment ? (
            <Form method="post" className="reply-form">
              <CsrfInput />
              <input type="hidden" name="clauseId" value={clauseId} />
              <input type="hidden" name="threadId" value={t.id} />
              <label>
                Reply to {t.authorName} <input name="body" maxLength={maxCommentLength} required />
              </label>
              <button type="submit" name="intent" value="comment" className="button small" disabled={busy}>
                Reply
              </button>
            </Form>
          ) : null}
        </div>
      ))}
      {mayComment ? (
        <Form method="post" className="comment-form">
          <CsrfInput />
          <input type="hidden" name="clauseId" value={clauseId} />
          <label>
            Comment on {label} <textarea name="body" maxLength={maxCommentLength} rows={2} required />
          </label>
          <button type="submit" name="intent" value="comment" className="button small" disabled={busy}>
            Post comment
          </button>
        </Form>
      ) : null}
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
