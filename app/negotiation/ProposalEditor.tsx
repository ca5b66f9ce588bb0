import { useEffect, useState } from "react";
import { EditorContent, useEditor, useEditorState } from "@tiptap/react";
import Collaboration from "@tiptap/extension-collaboration";
import { connectStatement, type CollabStatus, type StatementConnection } from "~/editor/collab-client";
import { proposalExtensions, proposalField } from "~/statement/proposal-schema";
import type { LocalUser } from "~/editor/StatementEditor";
import { remoteCarets } from "~/editor/remote-carets";
import { ConnectionBadge } from "~/editor/ConnectionBadge";
import { useWarnBeforeLeaving } from "~/editor/warn-before-leaving";

/**
 * The live editor of a proposal's drafting document, for its sponsors: the delegation's members
 * write it together; it becomes read-only when the proposal is decided or withdrawn (the server
 * says so on the open connection). `onText` follows the draft's plain text, for the diff.
 */
export function ProposalEditor({
  textDocumentId,
  userId,
  user,
  label,
  onText,
}: {
  textDocumentId: string;
  /** Whose unsent edits are kept in this browser until the server has them. */
  userId: string;
  user: LocalUser;
  label: string;
  onText: (text: string) => void;
}) {
  const [connection, setConnection] = useState<StatementConnection | null>(null);
  const [status, setStatus] = useState<CollabStatus | null>(null);
  useEffect(() => {
    const c = connectStatement(textDocumentId, { keepUnsentFor: userId });
    setConnection(c);
    setStatus(c.status());
    const off = c.onStatus(setStatus);
    return () => {
      off();
      c.destroy();
      setConnection(null);
    };
  }, [textDocumentId, userId]);
  useWarnBeforeLeaving(status?.unsaved ?? false);
  if (!connection || !status) return <p className="loading">Opening the draft…</p>;
  return (
    <div className="proposal-editor">
      <ConnectionBadge status={status} />
      <DraftEditor connection={connection} user={user} readOnly={status.readOnly} label={label} onText={onText} />
    </div>
  );
}

function DraftEditor({
  connection,
  user,
  readOnly,
  label,
  onText,
}: {
  connection: StatementConnection;
  user: LocalUser;
  readOnly: boolean;
  label: string;
  onText: (text: string) => void;
}) {
  const editor = useEditor({
    immediatelyRender: false,
    editable: !readOnly,
    extensions: [
      ...proposalExtensions,
      Collaboration.configure({ document: connection.doc, field: proposalField }),
      // Others' carets are drawn only once checked: a malformed one must not stall the draft.
      remoteCarets({ awareness: connection.provider.awareness, field: proposalField, user }),
    ],
    editorProps: { attributes: { class: "proposal-draft", role: "textbox", "aria-multiline": "true", "aria-label": label } },
  });
  useEffect(() => {
    if (editor && !editor.isDestroyed && editor.isEditable === readOnly) editor.setEditable(!readOnly);
  }, [editor, readOnly]);
  const text = useEditorState({ editor, selector: ({ editor: e }) => (e ? e.state.doc.textContent : null) });
  useEffect(() => {
    if (text !== null && text !== undefined) onText(text);
  }, [text, onText]);
  return (
    <div className="paper proposal-paper">
      <EditorContent editor={editor} />
    </div>
  );
}
