import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import Collaboration from "@tiptap/extension-collaboration";
import { statementField } from "~/statement/schema";
import { statementEditorExtensions } from "./statement-editing";
import { overlayClauses, type NegotiationOverlayData } from "./negotiation-overlay";
import type { StatementConnection } from "./collab-client";
import { Toolbar } from "./Toolbar";
import { Outline } from "./Outline";
import { Presence, type PresentUser } from "./Presence";
import { CommentAnchors } from "./comment-anchors";
import { remoteCarets } from "./remote-carets";
import { readPresence } from "~/statement/presence-state";

export interface LocalUser {
  name: string;
  color: string;
}

/** The id of the clause holding the selection, if any. */
function currentClauseId(editor: Editor): string | null {
  const { $from } = editor.state.selection;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type.name === "clause") return ($from.node(d).attrs.id as string | null) ?? null;
  return null;
}

/**
 * The statement editor and its side panel; mounted once the Y.Doc and provider exist. The page
 * learns which clause the person is on (`onCurrentClause`) and puts what concerns it in `panel`.
 */
export function StatementEditor({
  connection,
  user,
  readOnly,
  onCurrentClause,
  onEditor,
  panel,
  negotiation,
  outlineMarks,
}: {
  connection: StatementConnection;
  user: LocalUser;
  readOnly: boolean;
  /** Labels, states, brackets and locks; applied whenever they change (the page reloads them live). */
  negotiation: NegotiationOverlayData;
  onCurrentClause?: (clauseId: string | null) => void;
  /** The editor once it exists (null when it goes), for the panel to read the selection and show anchors. */
  onEditor?: (editor: Editor | null) => void;
  panel?: ReactNode;
  /** A short mark beside a clause in the outline, by clause id (the reader's delegation's holds and notes). */
  outlineMarks?: Readonly<Record<string, string>>;
}) {
  const editor = useEditor({
    immediatelyRender: false,
    editable: !readOnly,
    extensions: [
      ...statementEditorExtensions,
      Collaboration.configure({ document: connection.doc, field: statementField }),
      remoteCarets({ awareness: connection.provider.awareness, field: statementField, user }),
      CommentAnchors,
    ],
    editorProps: {
      attributes: {
        class: "statement",
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": "Joint Statement text",
        "aria-describedby": "editor-help",
      },
    },
  });

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.updateUser(user);
  }, [editor, user]);

  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable === readOnly) editor.setEditable(!readOnly);
  }, [editor, readOnly]);

  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);

  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.commands.setNegotiation(negotiation);
  }, [editor, negotiation]);

  // Why a local edit did nothing (a locked clause, or the whole text); announced, then kept visible.
  const [refusal, setRefusal] = useState<string | null>(null);
  useEffect(() => {
    if (!editor) return;
    editor.storage.negotiationOverlay.onRefused = setRefusal;
    return () => {
      editor.storage.negotiationOverlay.onRefused = null;
    };
  }, [editor]);

  const people = usePresence(connection);

  const clauseId = useEditorState({ editor, selector: ({ editor: e }) => (e ? currentClauseId(e) : null) });
  useEffect(() => onCurrentClause?.(clauseId ?? null), [clauseId, onCurrentClause]);
  // An explanation holds for the clause it was given in.
  useEffect(() => setRefusal(null), [clauseId]);

  const clauses = useEditorState({
    editor,
    selector: ({ editor: e }) => (e ? overlayClauses(e.state) : []),
    equalityFn: (a, b) =>
      !!a && !!b && a.length === b.length && a.every((c, i) => c.label === b[i].label && c.pos === b[i].pos && c.text === b[i].text),
  });

  // A link to "#clause-<id>" (from the compilation, a proposal) opens the text at that clause, once it is there.
  const hashServed = useRef<string | null>(null);
  useEffect(() => {
    const go = () => {
      const id = /^#clause-(.+)$/.exec(window.location.hash)?.[1];
      const target = id ? clauses?.find((c) => c.id === decodeURIComponent(id)) : undefined;
      if (!editor || editor.isDestroyed || !target || hashServed.current === window.location.hash) return;
      hashServed.current = window.location.hash;
      editor
        .chain()
        .focus()
        .setTextSelection(target.pos + 2)
        .scrollIntoView()
        .run();
    };
    go();
    window.addEventListener("hashchange", go);
    return () => window.removeEventListener("hashchange", go);
  }, [editor, clauses]);

  // Said as soon as a writer is in an agreed clause, before any typing goes nowhere.
  const agreedHere =
    !readOnly && clauseId && negotiation.locks.clauses.includes(clauseId)
      ? `${clauses?.find((c) => c.id === clauseId)?.label ?? "This clause"} is agreed; reopen it to edit.`
      : null;

  return (
    <div className="workspace">
      <div className="document-column">
        {editor && !readOnly ? <Toolbar editor={editor} /> : null}
        {/* Above the text, where a writer looks while typing. */}
        <p className="lock-note" role="status" aria-live="polite">
          {refusal ?? lockNote(negotiation) ?? agreedHere}
        </p>
        <div className="paper">
          <EditorContent editor={editor} />
          {!editor ? <p className="loading">Opening the statement…</p> : null}
        </div>
        <p id="editor-help" className="help">
          {readOnly
            ? "You are reading the base text; only the chair and the secretariat edit it."
            : "Ctrl+Enter starts a new clause after the current one; Alt+↑ and Alt+↓ move a clause. The first word of a new clause is italic until you type a space."}
        </p>
      </div>
      <aside className="side-panel" aria-label="Participants, clause and outline">
        <Presence people={people} />
        {panel}
        {editor ? <Outline editor={editor} clauses={clauses ?? []} marks={outlineMarks} /> : null}
      </aside>
    </div>
  );
}

/** What is locked right now, said once near the editor so nobody wonders why typing does nothing. */
function lockNote({ locks }: NegotiationOverlayData): string | null {
  if (locks.whole === "adopted") return "The text has been adopted and is locked.";
  if (locks.whole === "silence") return "A silence procedure is running: the text is locked until it ends.";
  return null;
}

function usePresence(connection: StatementConnection): PresentUser[] {
  const awareness = connection.provider.awareness;
  const read = () =>
    [...awareness.getStates().entries()].flatMap(([clientId, state]) => {
      const presence = readPresence(state, statementField);
      return presence ? [{ clientId, name: presence.name, color: presence.color, self: clientId === awareness.clientID }] : [];
    });
  const [people, setPeople] = useState<PresentUser[]>(read);
  useEffect(() => {
    const update = () => setPeople(read());
    awareness.on("change", update);
    update();
    return () => awareness.off("change", update);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [awareness]);
  return useMemo(() => people.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)), [people]);
}
