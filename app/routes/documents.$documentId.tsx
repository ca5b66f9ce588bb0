import { useCallback, useEffect, useMemo, useState } from "react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { maySeeExplanations, maySeeNegotiation } from "../../server/auth/visibility";
import { exportFormats } from "~/statement/export-formats";
import { findDelegation } from "../../server/queries/delegations";
import { connectStatement, type CollabStatus, type StatementConnection } from "~/editor/collab-client";
import { StatementEditor } from "~/editor/StatementEditor";
import { ConnectionBadge } from "~/editor/ConnectionBadge";
import { colorFor } from "~/statement/presence-colors";
import { useWarnBeforeLeaving } from "~/editor/warn-before-leaving";
import { AppHeader } from "~/components/AppHeader";
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import { readProtectedForm, requireDocumentPermission } from "~/utils/auth.server";
import { roleLabels } from "~/statement/people-labels";
import { clauseStateHistory, textLocks } from "../../server/queries/clause-states";
import { effectiveSignals, signalHistory } from "../../server/queries/clause-signals";
import { groupsOfMember } from "../../server/queries/delegation-groups";
import { latestSilence } from "../../server/queries/silence-procedures";
import { adoptionRecord } from "../../server/queries/adoption";
import { countStandingExplanations } from "../../server/queries/explanations";
import { adoptionLine } from "~/statement/adoption-line";
import { AdoptionSection } from "~/negotiation/AdoptionSection";
import { useLiveUpdates } from "~/negotiation/live";
import { LiveNotices } from "~/negotiation/LiveNotices";
import { CommentsSection } from "~/negotiation/CommentsSection";
import { loadCommentThreads } from "../../server/negotiation/comments";
import type { Editor } from "@tiptap/react";
import { negotiationMarks, textBrackets } from "../../server/negotiation/marks";
import type { NegotiationOverlayData } from "~/editor/negotiation-overlay";
import { ClauseStatus } from "~/negotiation/ClauseStatus";
import { SignalForm, givenChoice } from "~/negotiation/SignalForm";
import { StateControl } from "~/negotiation/StateControl";
import { SilenceSection } from "~/negotiation/SilenceSection";
import { ExportMenu } from "~/components/ExportMenu";
import { SaveRevision } from "~/versions/SaveRevision";
import { ProposalsSection } from "~/negotiation/ProposalsSection";
import { actorOf } from "../../server/negotiation/actor";
import { participationNote } from "../../server/auth/delegation-rights";
import { listedProposals } from "../../server/negotiation/proposal-views";
import { assertMayPropose, createProposal } from "../../server/negotiation/proposals";
import { openBusiness } from "../../server/negotiation/open-business";
import { invalid, parseForm } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { type ProposalKind, proposalKinds } from "~/statement/vocabulary";
import type { Part } from "~/statement/numbering";
import { rollingTextFor } from "../../server/negotiation/rolling-text";
import { RollingText, TextViewToggle, textViewOf } from "~/negotiation/RollingText";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const sql = context.sql;
  const [delegation, marks, locks, comments, signals, effective, groups, stateHistory, silence, adoption, explanationCount] =
    await Promise.all([
      access.delegationId ? findDelegation(sql, conference.id, access.delegationId) : null,
      negotiationMarks(sql, document),
      textLocks(sql, document.id),
      loadCommentThreads(sql, document.id, user.id),
      // Signals with their history (newest first); each delegation's signal as it stands (an aligned
      // member's is its group's), and the groups the delegate's delegation may align with.
      signalHistory(sql, document.id),
      effectiveSignals(sql, document.id),
      access.delegationId ? groupsOfMember(sql, access.delegationId) : [],
      // States with their history, and the latest silence procedure.
      clauseStateHistory(sql, document.id),
      latestSilence(sql, document.id),
      adoptionRecord(sql, document.id),
      countStandingExplanations(sql, document.id),
    ]);
  // One numbering for the editor, the outline and the side panel: the editor numbers with the same provisional clauses.
  const { states, bracketed, statement } = marks;
  const { clauses, provisional } = statement;
  // What the chair must see, and confirm, before opening a silence procedure or adopting the text in plenary.
  const mayOpenSilence = can(access, "negotiation:chair") && !document.adoptedAt && silence?.status !== "running";
  const view = textViewOf(new URL(request.url).searchParams);
  const viewer = actorOf(access);
  // An observer in standard mode sees the base text only: none of the negotiation leaves the server.
  const seesNegotiation = maySeeNegotiation(access, conference);
  return {
    view,
    // The rolling text shows the proposals this reader may see, as the compilation does.
    rolling: view.rolling && seesNegotiation ? rollingTextFor(marks, viewer, { attributions: view.attributions }) : null,
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    me: {
      id: user.id,
      // Presence shows whom a delegate speaks for.
      name: delegation ? `${user.name} (${delegation.code})` : user.name,
      color: colorFor(user.id),
      role: roleLabels[access.role],
    },
    canWrite: can(access, "document:write"),
    isChair: can(access, "negotiation:chair"),
    seesNegotiation,
    // Everyone who sees the statement downloads it; the compilation shows the negotiation.
    exportFormats: exportFormats.filter((f) => seesNegotiation || f !== "compilation"),
    delegationId: access.delegationId,
    states,
    provisional: [...provisional],
    bracketed: [...(seesNegotiation ? bracketed : textBrackets(marks))],
    locks: { whole: locks.whole, clauses: [...locks.clauses] },
    canComment: can(access, "negotiation:comment"),
    comments: seesNegotiation ? comments : [],
    signals: seesNegotiation ? signals : [],
    effectiveSignals: seesNegotiation ? effective : [],
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    stateHistory: seesNegotiation ? stateHistory : [],
    // Whether the text is under silence is the text's; who objected is the negotiation's.
    silence: silence && !seesNegotiation ? { ...silence, objectingDelegationName: null, objection: null } : silence,
    openBusiness: mayOpenSilence ? await openBusiness(sql, document.id, clauses) : null,
    adopted: document.adoptedAt !== null,
    canSignal: access.role === "delegate" && access.delegationId !== null && access.rights.negotiates,
    canPropose: access.delegationId !== null && access.rights.mayPropose,
    participation: participationNote(access.rights, access.role === "delegate"),
    adoptionLine: adoption ? adoptionLine(adoption) : null,
    explanationCount: maySeeExplanations(access, conference, document) ? explanationCount : null,
    canSeeConsensus: can(access, "negotiation:chair") || can(access, "conference:manage"),
    proposals: seesNegotiation ? listedProposals(marks.proposals, clauses, viewer) : [],
    clauseLabels: Object.fromEntries(clauses.filter((c) => c.id).map((c) => [c.id!, c.label])),
    // The first clause of each part (whatever its label: "Pre-OP1" when provisional), where proposals to start the part show.
    partStarts: Object.fromEntries(
      (["pp", "op"] as const).flatMap((part) => {
        const first = clauses.find((c) => c.part === part);
        return first?.id ? [[first.id, part]] : [];
      }),
    ) as Record<string, Part>,
  };
}

const proposeSchema = z.object({
  intent: z.enum(["propose", "compromise"]),
  kind: z.enum(proposalKinds as [ProposalKind, ...ProposalKind[]], { error: "Choose what the proposal does." }),
  clauseId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || null),
  part: z.enum(["pp", "op"]).optional(),
});

/** A delegate proposes for their delegation (the form names no delegation); the chair writes a compromise. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const form = await readProtectedForm(request, context, user);
  const actor = actorOf(access);
  return answeringRefusals(invalid, async () => {
    // Who may propose at all is answered before what they wrote.
    assertMayPropose(actor, form.get("intent") === "compromise");
    const parsed = parseForm(form, proposeSchema);
    if (!parsed.ok) return invalid(parsed);
    const { intent, kind, clauseId, part } = parsed.data;
    const created = await createProposal(context.sql, actor, {
      documentId: document.id,
      conferenceId: conference.id,
      kind,
      clauseId,
      part: part ?? null,
      compromise: intent === "compromise",
    });
    return redirect(`/documents/${document.id}/proposals/${created.id}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.document.title} · ${data.conference.title} · Concord` : "Concord" },
];

export default function DocumentPage() {
  const {
    document,
    conference,
    me,
    canWrite,
    isChair,
    delegationId,
    canComment,
    comments,
    states,
    locks,
    provisional,
    bracketed,
    signals,
    effectiveSignals,
    groups,
    stateHistory,
    silence,
    openBusiness,
    adopted,
    adoptionLine: adoptedLine,
    explanationCount,
    canSignal,
    canPropose,
    participation,
    canSeeConsensus,
    seesNegotiation,
    exportFormats: formats,
    proposals,
    clauseLabels,
    partStarts,
    view,
    rolling,
  } = useLoaderData<typeof loader>();
  const [editor, setEditor] = useState<Editor | null>(null);
  // Each live reload brings new objects; the editor is told only when something really changed.
  const negotiationKey = JSON.stringify({ provisional, states, bracketed, locks });
  const negotiation = useMemo(() => JSON.parse(negotiationKey) as NegotiationOverlayData, [negotiationKey]);
  const notices = useLiveUpdates(document.id);
  const [clauseId, setClauseId] = useState<string | null>(null);
  const onCurrentClause = useCallback((id: string | null) => {
    // Leaving the text (e.g. for the side panel) keeps the clause the person was on.
    if (id) setClauseId(id);
  }, []);
  const [connection, setConnection] = useState<StatementConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus>({
    connection: "connecting",
    unsaved: false,
    readOnly: !canWrite,
    refused: false,
    refusal: null,
    ended: null,
    savingPaused: false,
  });
  // A new generation opens a fresh copy of the document, dropping local edits the server refused.
  const [generation, setGeneration] = useState(0);
  // Why the last copy was dropped (an edit to an agreed clause), shown until the next one.
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    if (!status.refused) return;
    if (status.refusal) setRefusal(status.refusal);
    setGeneration((g) => g + 1);
  }, [status.refused, status.refusal]);

  useEffect(() => {
    const c = connectStatement(document.id, { readOnly: !canWrite, keepUnsentFor: me.id });
    setConnection(c);
    setStatus(c.status());
    const off = c.onStatus(setStatus);
    return () => {
      off();
      c.destroy();
      setConnection(null);
    };
  }, [document.id, canWrite, generation, me.id]);
  useWarnBeforeLeaving(status.unsaved);

  const user = useMemo(() => ({ name: me.name, color: me.color }), [me.name, me.color]);

  return (
    <div className="page">
      <AppHeader
        actions={
          <>
            {seesNegotiation ? (
              <Link to={`/documents/${document.id}/compilation`} className="masthead-link">
                Compilation
              </Link>
            ) : null}
            <Link to={`/documents/${document.id}/history`} className="masthead-link">
              History
            </Link>
            {canWrite ? <SaveRevision documentId={document.id} /> : null}
            <ExportMenu documentId={document.id} formats={formats} rolling={seesNegotiation} />
          </>
        }
      >
        <Link to={`/conferences/${conference.id}`} className="conference">
          {conference.title}
        </Link>
        <h1 className="document-title">{document.title}</h1>
      </AppHeader>
      <LiveNotices notices={notices} />
      <div className="status-bar">
        <ConnectionBadge status={status} />
        <span className="role-note">Your role: {me.role}</span>
        {participation ? (
          <span className="participation-note" data-testid="participation-note">
            {participation}
          </span>
        ) : null}
        {canSeeConsensus ? (
          <Link to={`/documents/${document.id}/consensus`} className="consensus-link">
            Consensus matrix
          </Link>
        ) : null}
        {seesNegotiation ? <TextViewToggle view={view} exportPath={`/documents/${document.id}/export`} /> : null}
      </div>
      {refusal ? (
        <p className="refusal-notice" role="alert">
          The server refused your change ({refusal}). The text was reloaded.{" "}
          <button type="button" className="button small" onClick={() => setRefusal(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
      <AdoptionSection documentId={document.id} adoptionLine={adoptedLine} explanations={explanationCount} openBusiness={openBusiness} />
      <SilenceSection
        documentId={document.id}
        silence={silence}
        adopted={adopted}
        isChair={isChair}
        canObject={canSignal}
        openBusiness={openBusiness}
      />
      <main id="main">
        {rolling ? (
          <RollingText text={rolling} />
        ) : connection ? (
          <StatementEditor
            // A fresh copy needs a fresh editor: the editor binds to its Y.Doc once. Keyed by the
            // copy itself, not the generation: the first render of a new generation still holds
            // the refused copy, and an editor mounted then would stay bound to it.
            key={connection.doc.guid}
            connection={connection}
            user={user}
            readOnly={status.readOnly}
            negotiation={negotiation}
            onCurrentClause={onCurrentClause}
            onEditor={setEditor}
            panel={
              <section className="panel clause-panel" aria-labelledby="clause-panel-heading" data-clause-id={clauseId ?? undefined}>
                <h2 id="clause-panel-heading">{clauseId ? "This clause" : "Clause"}</h2>
                {clauseId ? (
                  <>
                    <ClauseStatus
                      clauseId={clauseId}
                      state={states[clauseId] ?? "open"}
                      effective={effectiveSignals}
                      signals={signals}
                      states={stateHistory}
                    />
                    {isChair && !adopted ? (
                      <StateControl
                        documentId={document.id}
                        clauseId={clauseId}
                        clauseLabel={clauseLabels[clauseId] ?? "This clause"}
                        state={states[clauseId] ?? "open"}
                        notYet={effectiveSignals.filter((s) => s.clauseId === clauseId && s.signal === "not_yet" && s.counts)}
                      />
                    ) : null}
                    {seesNegotiation ? (
                      <ProposalsSection
                        documentId={document.id}
                        clauseId={clauseId}
                        clauseLabel={clauseLabels[clauseId] ?? null}
                        firstOfPart={partStarts[clauseId] ?? null}
                        proposals={proposals}
                        canPropose={canPropose}
                        isChair={isChair}
                        agreed={locks.clauses.includes(clauseId)}
                        textLock={locks.whole}
                      />
                    ) : null}
                    {canSignal && !adopted ? (
                      <SignalForm
                        documentId={document.id}
                        clauseId={clauseId}
                        current={givenChoice(signals.find((s) => s.clauseId === clauseId && s.delegationId === delegationId))}
                        groups={groups}
                      />
                    ) : null}
                  </>
                ) : (
                  <p className="muted">
                    {seesNegotiation
                      ? "Place the cursor in a clause to see its proposals, comments and signals."
                      : "Place the cursor in a clause to see its state. Observers of this conference see the base text only."}
                  </p>
                )}
                {seesNegotiation ? (
                  <CommentsSection
                    documentId={document.id}
                    clauseId={clauseId}
                    threads={comments}
                    editor={editor}
                    canComment={canComment}
                    isChair={isChair}
                  />
                ) : null}
              </section>
            }
          />
        ) : (
          <p className="loading" role="status">
            Opening the statement…
          </p>
        )}
      </main>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
