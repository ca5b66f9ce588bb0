import { Node, mergeAttributes, getSchema, type AnyExtension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import type { Schema } from "@tiptap/pm/model";
import { partOfSection } from "./numbering";

/**
 * The inline and block content a clause may hold (paragraphs, lists, italic, bold …), shared with
 * a proposal's drafting document so that content moves between the two unchanged.
 */
export const clauseContentKit = StarterKit.configure({
  document: false,
  undoRedo: false,
  heading: false,
  codeBlock: false,
  code: false,
  blockquote: false,
  horizontalRule: false,
  link: false,
  trailingNode: false,
});

/** What a clause node holds; a proposal's drafting document holds the same. */
export const clauseContent = "(paragraph | bulletList | orderedList)+";

/**
 * The structure of a Joint Statement: a title, then the preambular part and the operative part,
 * each a list of clauses. The parts are nodes so that a clause's kind follows from where it
 * stands, and moving a clause across the boundary changes its kind with nothing else to update.
 */
const StatementDocument = Node.create({
  name: "doc",
  topNode: true,
  content: "title preamble operative",
});

const Title = Node.create({
  name: "title",
  content: "text*",
  marks: "italic bold",
  defining: true,
  parseHTML: () => [{ tag: "h1" }],
  renderHTML: ({ HTMLAttributes }) => ["h1", mergeAttributes(HTMLAttributes, { class: "statement-title" }), 0],
});

function partNode(name: "preamble" | "operative", label: string) {
  return Node.create({
    name,
    content: "clause+",
    isolating: true,
    parseHTML: () => [{ tag: `section[data-part="${partOfSection[name]}"]` }],
    renderHTML: ({ HTMLAttributes }) => [
      "section",
      mergeAttributes(HTMLAttributes, { "data-part": partOfSection[name], "aria-label": label, class: `part part-${name}` }),
      0,
    ],
  });
}

export const Clause = Node.create({
  name: "clause",
  content: clauseContent,
  defining: true,
  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-clause-id"),
        renderHTML: (attrs) => (attrs.id ? { "data-clause-id": attrs.id as string } : {}),
      },
    };
  },
  parseHTML: () => [{ tag: "div[data-clause-id]" }, { tag: "div.clause" }],
  renderHTML: ({ HTMLAttributes }) => ["div", mergeAttributes(HTMLAttributes, { class: "clause" }), 0],
});

/**
 * The nodes and marks of a statement, with the clause node given: the model's own here, the
 * editor's (the same node with commands, shortcuts and id upkeep) in app/editor. Both build the
 * same schema, so the server, the exporters and the editor agree on it.
 */
export function statementNodes(clause: Node = Clause): AnyExtension[] {
  return [
    clauseContentKit,
    StatementDocument,
    Title,
    partNode("preamble", "Preambular part"),
    partNode("operative", "Operative part"),
    clause,
  ] as AnyExtension[];
}

export const statementSchema: Schema = getSchema(statementNodes());

/** Name of the Y.XmlFragment that holds the statement (Tiptap Collaboration's default field). */
export const statementField = "default";
