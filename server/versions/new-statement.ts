import type { JSONContent } from "@tiptap/core";
import { appendAudit, type Tx } from "../audit/log";
import type { DocumentRow } from "../queries/documents";
import { createStoredDocument } from "../negotiation/statement";
import { statementUpdate } from "../../app/statement/yjs-state";
import { captureVersion } from "./capture";
import { statementContentError } from "../collab/document-models";

/** What a statement created from scratch (seeded or by the secretariat) calls its first version. */
export const zeroDraftName = "Zero draft";

/**
 * Creates a statement with its text and, in the same transaction, its first named version, so
 * the zero draft can be opened, exported and redlined against like any revision. `createdBy` is
 * null for the system (the demo seed).
 */
export async function createStatement(
  tx: Tx,
  input: { conferenceId: string; title: string; content: JSONContent; versionName: string; createdBy: string | null },
): Promise<DocumentRow> {
  const error = statementContentError(input.content);
  if (error) throw new Error(`a statement must pass its schema: ${error}`);
  const document = await createStoredDocument(tx, {
    conferenceId: input.conferenceId,
    title: input.title,
    update: statementUpdate(input.content),
  });
  const version = await captureVersion(tx, {
    documentId: document.id,
    kind: "named",
    name: input.versionName,
    createdBy: input.createdBy,
    proposalId: null,
    restoredFrom: null,
  });
  await appendAudit(tx, {
    conferenceId: input.conferenceId,
    documentId: document.id,
    actorId: input.createdBy,
    action: "version.created",
    subject: { version: version.number, name: input.versionName },
  });
  return document;
}
