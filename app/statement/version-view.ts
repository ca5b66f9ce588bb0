import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { listClauses } from "./numbering";
import type { VersionClause } from "../versions/StatementText";
import type { ClauseState } from "./vocabulary";

/** A statement document with clause labels and the given states, in the shape StatementText renders. */
export function statementView(
  doc: PMNode,
  states: Record<string, ClauseState>
): { title: JSONContent[]; preamble: VersionClause[]; operative: VersionClause[] } {
  const clauses = listClauses(doc);
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
