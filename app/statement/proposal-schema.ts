import { Node, getSchema, type AnyExtension } from "@tiptap/core";
import type { Schema } from "@tiptap/pm/model";
import { clauseContent, clauseContentKit } from "./schema";

/**
 * A proposal's drafting document: the body of one clause, nothing else. Its nodes and marks are
 * the statement's own (same StarterKit configuration), so an accepted text goes into the clause
 * as it was drafted.
 */
const ClauseBodyDocument = Node.create({
  name: "doc",
  topNode: true,
  content: clauseContent,
});

export const proposalExtensions: AnyExtension[] = [clauseContentKit, ClauseBodyDocument] as AnyExtension[];

export const proposalSchema: Schema = getSchema(proposalExtensions);

/** Name of the Y.XmlFragment holding the draft (Tiptap Collaboration's default field, as for statements). */
export const proposalField = "default";
