import type { Node as PMNode } from "@tiptap/pm/model";
import type { Db } from "../db/sql";
import { findLatestNamedVersion } from "../queries/versions";
import { versionDocument } from "./restore";

/**
 * What the current text is called in a download's file name. A delegate who sends a file to the
 * capital needs to tell it from the last one: it is the newest revision's name while the text is
 * still that revision's ("Rev.1"), and that name with the day's changes once it has moved on
 * ("Rev.1 with changes 2026-12-05"); "current" only before any revision exists.
 */
export async function currentTextName(sql: Db, documentId: string, current: PMNode, now: Date): Promise<string> {
  const latest = await findLatestNamedVersion(sql, documentId);
  if (!latest?.name) return "current";
  if (versionDocument(latest).eq(current)) return latest.name;
  return `${latest.name} with changes ${now.toISOString().slice(0, 10)}`;
}
