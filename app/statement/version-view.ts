import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import type { ClauseInfo } from "./numbering";
import type { ClauseState } from "./vocabulary";

/** One clause of a statement as a version page shows it. */
export interface VersionClause {
  id: string | null;
  label: string;
  state: ClauseState;
  /** The clause node's content (paragraphs and lists) as ProseMirror JSON. */
  content: JSONContent[];
}

/** A statement document with its numbering's clause labels and the given states, in the shape StatementText renders. */
export function statementView(
  { doc, clauses }: { doc: PMNode; clauses: readonly ClauseInfo[] },
  states: Record<string, ClauseState>,
): { title: JSONContent[]; preamble: VersionClause[]; operative: VersionClause[] } {
  const json = doc.toJSON() as JSONContent;
  const [title, preamble, operative] = json.content ?? [];
  const byPart = (part: JSONContent | undefined, p: "pp" | "op") => {
    const infos = clauses.filter((c) => c.part === p);
    return (part?.content ?? []).map((node, i) => {
      const id = (node.attrs?.id as string | null | undefined) ?? null;
      return { id, label: infos[i]?.label ?? "", state: (id ? states[id] : undefined) ?? "open", content: node.content ?? [] };
    });
  };
  return { title: title?.content ?? [], preamble: byPart(preamble, "pp"), operative: byPart(operative, "op") };
}
