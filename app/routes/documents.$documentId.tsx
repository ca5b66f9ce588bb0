import { useCallback, useEffect, useMemo, useState } from "react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../server/auth/permissions";
import { maySeeNegotiation } from "../../server/auth/visibility";
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
import { describeRole } from "~/statement/people-labels";
import { groupsOfMember } from "../../server/queries/delegation-groups";
import { unreadComments } from "../../server/queries/comments";
import { personalThreads } from "../../server/negotiation/comments";
import { readStatementRoom, statementView } from "../../server/negotiation/statement-view";
import { AdoptionSection } from "~/negotiation/AdoptionSection";
import { useLiveUpdates, usePatchedData } from "~/negotiation/live";
import { LiveNotices } from "~/negotiation/LiveNotices";
import { CommentsSection } from "~/negotiation/CommentsSection";
import type { Editor } from "@tiptap/react";
import type { NegotiationOverlayData } from "~/editor/negotiation-overlay";
import { ClauseStatus } from "~/negotiation/ClauseStatus";
import { SignalForm, givenChoice } from "~/negotiation/SignalForm";
import { StateControl } from "~/negotiation/StateControl";
import { SilenceSection } from "~/negotiation/SilenceSection";
import { ExportMenu } from "~/components/ExportMenu";
import { targetLanguages } from "../../server/translations/translations";
import { languageOf } from "~/statement/languages";
import { SaveRevision } from "~/versions/SaveRevision";
import { ProposalsSection } from "~/negotiation/ProposalsSection";
import { actorOf } from "../../server/negotiation/actor";
import { participationNote } from "../../server/auth/delegation-rights";
import { assertMayPropose, createProposal } from "../../server/negotiation/proposals";
import { invalid, parseForm } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { type ProposalKind, proposalKinds } from "~/statement/vocabulary";
import { rollingTextFor } from "../../server/negotiation/rolling-text";
import { RollingText, TextViewToggle, textViewOf } from "~/negotiation/RollingText";
import { workspaceDelegation } from "../../server/workspace/workspace";
import { workspaceMarks } from "../../server/queries/workspace";
import { WorkspaceMark, outlineMarks } from "~/workspace/WorkspaceMark";
import { readingView } from "../../server/readings/readings";
import { ReadingBar, ReadingPointer, useFollowReading, useLiveReading } from "~/negotiation/ReadingBar";
import { breakoutMarks } from "../../server/breakouts/breakout-views";
import { BreakoutMark, BreakoutMarks } from "~/breakouts/BreakoutMarks";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const sql = context.sql;
  // The page's data at this version of the live updates; a page that read across an event gets no version, and reloads at the next one.
  const reading = context.live.views.version(document.id);
  const workspaceOf = workspaceDelegation(access);
  const [delegation, room, groups, unread, workspace] = await Promise.all([
    access.delegationId ? findDelegation(sql, conference.id, access.delegationId) : null,
    readStatementRoom(sql, document.id),
    // The groups the delegate's delegation may align with.
    access.delegationId ? groupsOfMember(sql, access.delegationId) : [],
    unreadComments(sql, document.id, [user.id]),
    // The delegation's own holds and notes: its delegates' alone (server/workspace/workspace.ts).
    workspaceOf ? workspaceMarks(sql, document.id, workspaceOf) : null,
  ]);
  const audience = { access, conference };
  const live = statementView(context.live.views.room(document.id, room), audience);
  const view = textViewOf(new URL(request.url).searchParams);
  const seesNegotiation = maySeeNegotiation(access, conference);
  // Which clauses are in a running breakout, as this reader may see it (a "breakouts" event reloads this loader).
  const breakouts = await breakoutMarks(sql, document.id, access, conference, live.clauseLabels);
  return {
    ...live,
    comments: personalThreads(live.comments, user.id, unread.get(user.id)!),
    liveVersion: context.live.views.loaded(document.id, audience, reading, live),
    view,
    // The rolling text shows the proposals this reader may see, as the compilation does.
    rolling: view.rolling && seesNegotiation ? rollingTextFor(room.marks, actorOf(access), { attributions: view.attributions }) : null,
    document: { id: document.id, title: document.title },
    conference: { id: conference.id, title: conference.title },
    // The original first: the languages the statement is read and downloaded in.
    languages: [document.originalLanguage, ...targetLanguages(conference, document)].map((code) => ({
      code,
      name: languageOf(code).name,
      original: code === document.originalLanguage,
    })),
    me: {
      id: user.id,
      // Presence shows whom a delegate speaks for.
      name: delegation ? `${user.name} (${delegation.code})` : user.name,
      color: colorFor(user.id),
      role: describeRole(access.role, null, access.language),
    },
    canWrite: can(access, "document:write"),
    isChair: can(access, "negotiation:chair"),
    seesNegotiation,
    // Everyone who sees the statement downloads it; the compilation shows the negotiation.
    exportFormats: exportFormats.filter((f) => seesNegotiation || f !== "compilation"),
    delegationId: access.delegationId,
    canComment: can(access, "negotiation:comment"),
    groups: groups.map((g) => ({ id: g.id, name: g.name })),
    canSignal: access.role === "delegate" && access.delegationId !== null && access.rights.negotiates,
    canPropose: access.delegationId !== null && access.rights.mayPropose,
    participation: participationNote(access.rights, access.role === "delegate"),
    canSeeConsensus: can(access, "negotiation:chair") || can(access, "conference:manage"),
    workspace,
    // The chair's reading, if one runs; its events then carry it (server/readings/readings.ts).
    reading: await readingView(sql, document.id),
    canManageScreen: can(access, "screen:manage"),
    breakouts,
  };
}

/** The chair moving the reading's pointer reloads nothing: the reading's event brings it to every page, this one too. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.endsWith("/reading") ? false : defaultShouldRevalidate;

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
  const { data, patchable } = usePatchedData(useLoaderData<typeof loader>());
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
    languages,
    proposals,
    clauseLabels,
    partStarts,
    view,
    rolling,
    workspace,
    canManageScreen,
    breakouts,
  } = data;
  const [reading, onReading] = useLiveReading(data.reading);
  const [follow, setFollow] = useFollowReading(me.id);
  const [editor, setEditor] = useState<Editor | null>(null);
  const workspaceOutline = useMemo(() => (workspace ? outlineMarks(workspace) : undefined), [workspace]);
  // Each live reload brings new objects; the editor is told only when something really changed.
  const negotiationKey = JSON.stringify({ provisional, states, bracketed, locks });
  const negotiation = useMemo(() => JSON.parse(negotiationKey) as NegotiationOverlayData, [negotiationKey]);
  // The rolling text is written on the server: a page showing it reloads at every event.
  const notices = useLiveUpdates(document.id, view.rolling ? undefined : patchable, { onReading });
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
            <Link to={`/documents/${document.id}/breakouts`} className="masthead-link">
              Breakouts
            </Link>
            {languages.length > 1 ? (
              <Link to={`/documents/${document.id}/translations`} className="masthead-link">
                Languages
              </Link>
            ) : null}
            {canManageScreen ? (
              <Link to={`/documents/${document.id}/screens`} className="masthead-link">
                Plenary screen
              </Link>
            ) : null}
            {canWrite ? <SaveRevision documentId={document.id} /> : null}
            <ExportMenu documentId={document.id} formats={formats} rolling={seesNegotiation} languages={languages} />
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
        {workspace ? (
          <Link to={`/documents/${document.id}/workspace`} className="workspace-link">
            Your delegation&rsquo;s workspace
          </Link>
        ) : null}
        {seesNegotiation ? <TextViewToggle view={view} exportPath={`/documents/${document.id}/export`} /> : null}
        <Link to={`/documents/${document.id}/readings`} className="readings-link">
          Readings
        </Link>
      </div>
      <ReadingBar
        documentId={document.id}
        reading={reading}
        labels={clauseLabels}
        isChair={isChair}
        adopted={adopted}
        follow={follow}
        onFollow={setFollow}
      />
      <ReadingPointer current={reading?.current ?? null} follow={follow} />
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
      <BreakoutMarks documentId={document.id} marks={breakouts} />
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
            outlineMarks={workspaceOutline}
            panel={
              <section className="panel clause-panel" aria-labelledby="clause-panel-heading" data-clause-id={clauseId ?? undefined}>
                <h2 id="clause-panel-heading">{clauseId ? "This clause" : "Clause"}</h2>
                {clauseId ? (
                  <>
                    {breakouts
                      .filter((m) => m.clauseIds.includes(clauseId))
                      .map((m) => (
                        <p key={m.name} className="breakout-mark" data-testid="clause-breakout">
                          <BreakoutMark documentId={document.id} mark={m} clause={clauseLabels[clauseId] ?? "This clause"} />
                        </p>
                      ))}
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
                    {workspace ? (
                      <WorkspaceMark
                        documentId={document.id}
                        clauseId={clauseId}
                        clauseLabel={clauseLabels[clauseId] ?? "this clause"}
                        marks={workspace}
                        adopted={adopted}
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
