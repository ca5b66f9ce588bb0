import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import { statementField, statementSchema } from "../../app/statement/schema";
import { statementUpdate } from "../../app/statement/yjs-state";
import { proposalField, proposalSchema } from "../../app/statement/proposal-schema";
import { SchemaGuard, SchemaViolation, type DocumentModel } from "./schema-guard";

/** A clause id as the editor makes them ("c" and 12 base-36 characters); looser, for ids made elsewhere. */
const clauseId = (v: unknown) => typeof v === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(v);

/**
 * The bounds of what one statement may hold. A clause of a real outcome document is a few hundred
 * words; 20,000 characters leaves room for any, while keeping one writer from making every page
 * and export of the statement heavy for everyone.
 */
const maxClauseChars = 20_000;

/** A Joint Statement: title, preambular and operative parts of clauses. */
export const statementModel: DocumentModel = {
  schema: statementSchema,
  field: statementField,
  units: new Set(["clause", "title"]),
  attributes: { clause: { id: clauseId } },
  limits: { maxDepth: 12, maxChildren: 2_000, maxUnitChars: maxClauseChars, maxTotalChars: 1_000_000, maxAttributeChars: 64 },
};

/** A proposal's drafting document: the body of one clause. */
export const proposalModel: DocumentModel = {
  schema: proposalSchema,
  field: proposalField,
  units: new Set(),
  limits: { maxDepth: 10, maxChildren: 2_000, maxUnitChars: maxClauseChars, maxTotalChars: maxClauseChars, maxAttributeChars: 64 },
};

/**
 * Why this content cannot be a statement, or null. A statement made outside the collaboration
 * server (created, imported, seeded) is held to the same schema and bounds as every edit: one
 * stored beyond them could not be edited afterwards.
 */
export function statementContentError(content: JSONContent): string | null {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, statementUpdate(content));
    new SchemaGuard(statementModel).checkDocument(doc);
    return null;
  } catch (err) {
    if (err instanceof SchemaViolation) return err.message;
    throw err;
  } finally {
    doc.destroy();
  }
}
