import { z } from "zod";
import type { Sql } from "../db/sql";
import { findConference } from "../queries/conferences";
import { listDelegations } from "../queries/delegations";
import { findUserByEmail } from "../queries/users";
import { describeRole, roleLabels } from "../../app/statement/people-labels";
import { CsvError, isBlankRecord, parseCsv } from "./csv";
import { issueInvitation } from "./invitations";
import { defaultInvitationDays, maxImportRows } from "../../app/statement/limits";
import { assignRole } from "./memberships";
import { languageProblem, readLanguage } from "./translator-language";
import { type Role, roles } from "../../app/statement/vocabulary";
import { logger } from "../log";

/** "kept": an account of the secretariat or the deployment administrator, whose role an import never changes. */
export type ImportOutcome = "added" | "updated" | "unchanged" | "invited" | "kept" | "rejected";

export interface ImportReportRow {
  /** The row in the file, the header being row 1. */
  row: number;
  name: string;
  email: string;
  outcome: ImportOutcome;
  /** What was done, or every reason the row was rejected. */
  messages: string[];
  /** For a new e-mail address: the invitation link to send (shown only in this report). */
  link?: string;
}

export type ImportResult = { ok: true; rows: ImportReportRow[]; counts: Record<ImportOutcome, number> } | { ok: false; error: string };

const columnAliases: Record<string, "name" | "email" | "delegation" | "role" | "language"> = {
  name: "name",
  "full name": "name",
  email: "email",
  "e-mail": "email",
  "email address": "email",
  "e-mail address": "email",
  delegation: "delegation",
  role: "role",
  language: "language",
};
const requiredColumns = ["name", "email", "delegation", "role"] as const;
/** Only translators have a language: a file without translators needs no such column. */
type Column = (typeof requiredColumns)[number] | "language";

const emailSchema = z.email();
const roleList = `${roles.slice(0, -1).join(", ")} or ${roles[roles.length - 1]}`;

function parseRole(value: string): Role | null {
  const v = value.trim().toLowerCase();
  return (roles as readonly string[]).includes(v) ? (v as Role) : null;
}

const keptMessage = (who: string) =>
  `This account is ${who}: an import never changes their role. Nothing changed; change it on this page if it must change.`;

/**
 * Imports participants from CSV text (columns name, email, delegation, role, and language for
 * translators; header row first).
 * Each row stands alone: an existing account is given its role at once, a new e-mail address an
 * invitation link; a bad row is reported with every reason and never stops the others. A file
 * comes from outside (a delegation's list, a spreadsheet passed around), so it never changes the
 * part of the deployment administrator nor of the secretariat: those rows are reported as kept.
 */
export async function importPeople(
  sql: Sql,
  { conferenceId, actorId, text, origin }: { conferenceId: string; actorId: string; text: string; origin: string },
): Promise<ImportResult> {
  let records;
  try {
    records = parseCsv(text).filter((r) => !isBlankRecord(r));
  } catch (err) {
    if (err instanceof CsvError) return { ok: false, error: `The file could not be read as CSV. ${err.message}` };
    throw err;
  }
  const [header, ...rows] = records;
  if (!header)
    return { ok: false, error: "The file is empty. It needs a header row (name, email, delegation, role) and one row per person." };
  const index: Partial<Record<Column, number>> = {};
  header.fields.forEach((f, i) => {
    const key = columnAliases[f.trim().toLowerCase()];
    if (key && index[key] === undefined) index[key] = i;
  });
  const missing = requiredColumns.filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      error: `The header row must name the columns name, email, delegation and role; ${missing.join(", ")} ${
        missing.length === 1 ? "is" : "are"
      } missing.`,
    };
  }
  if (rows.length === 0) return { ok: false, error: "The file has a header row but no people in it." };
  if (rows.length > maxImportRows)
    return { ok: false, error: `The file has ${rows.length} rows; import at most ${maxImportRows} at a time.` };

  const delegations = await listDelegations(sql, conferenceId);
  const conferenceLanguages = (await findConference(sql, conferenceId))?.languages ?? [];
  const delegationFor = (key: string) =>
    delegations.find((d) => d.code.toLowerCase() === key.toLowerCase()) ??
    delegations.find((d) => d.name.toLowerCase() === key.toLowerCase()) ??
    null;
  const firstRowOf = new Map<string, number>();
  const report: ImportReportRow[] = [];

  for (const record of rows) {
    const cell = (c: Column) => (index[c] === undefined ? "" : (record.fields[index[c]] ?? "").trim());
    const name = cell("name");
    const email = cell("email");
    const delegationKey = cell("delegation");
    const roleText = cell("role");
    const languageText = cell("language");
    const reasons: string[] = [];

    if (!name) reasons.push("The name is missing.");
    else if (name.length > 100) reasons.push("The name is longer than 100 characters.");

    const emailValid = email !== "" && email.length <= 254 && emailSchema.safeParse(email).success;
    if (!email) reasons.push("The e-mail address is missing.");
    else if (!emailValid) reasons.push(`"${email}" is not a valid e-mail address.`);

    const role = parseRole(roleText);
    if (!roleText) reasons.push(`The role is missing (${roleList}).`);
    else if (!role) reasons.push(`Unknown role "${roleText}" (use ${roleList}).`);

    const delegation = delegationKey ? delegationFor(delegationKey) : null;
    if (delegationKey && !delegation)
      reasons.push(`Unknown delegation "${delegationKey}": use the code or name of a delegation on the Delegations page.`);
    if (role === "delegate" && !delegationKey) reasons.push("A delegate needs a delegation (its code or name).");
    if (role && role !== "delegate" && delegationKey) {
      reasons.push(
        `A delegation ("${delegationKey}") is given for the role ${roleLabels[role].toLowerCase()}: only delegates belong to a delegation.`,
      );
    }

    const language = languageText ? readLanguage(languageText) : null;
    if (languageText && !language)
      reasons.push(`Unknown language "${languageText}": use the code (fr) or English name (French) of a language of this conference.`);
    if (role === "translator" && !languageText) reasons.push("A translator needs a language (its code, such as fr, or its name, French).");
    if (role && role !== "translator" && languageText) {
      reasons.push(
        `A language ("${languageText}") is given for the role ${roleLabels[role].toLowerCase()}: only translators work in a language.`,
      );
    }
    const notHere = role === "translator" && language ? languageProblem(role, language, conferenceLanguages) : null;
    if (notHere) reasons.push(notHere);

    if (emailValid) {
      const key = email.toLowerCase();
      const first = firstRowOf.get(key);
      if (first !== undefined) reasons.push(`Duplicate: the e-mail address ${email} is already in row ${first} of this file.`);
      else firstRowOf.set(key, record.row);
    }

    const entry = { row: record.row, name, email };
    if (reasons.length > 0 || !role) {
      report.push({ ...entry, outcome: "rejected", messages: reasons });
      continue;
    }
    try {
      const account = await findUserByEmail(sql, email);
      if (account?.isAdmin) {
        report.push({ ...entry, outcome: "kept", messages: [keptMessage("the deployment administrator")] });
      } else if (account) {
        const change = await assignRole(
          sql,
          { conferenceId, userId: account.id, role, delegationId: delegation?.id ?? null, language, actorId },
          { leaveSecretariat: true },
        );
        if (!change.ok && "secretariat" in change)
          report.push({ ...entry, outcome: "kept", messages: [keptMessage("of the secretariat")] });
        else if (!change.ok) report.push({ ...entry, outcome: "rejected", messages: [change.error] });
        else if (!change.changed)
          report.push({
            ...entry,
            outcome: "unchanged",
            messages: [`Already ${describeRole(role, delegation, language)}; nothing changed.`],
          });
        else if (change.before) {
          const was = delegations.find((d) => d.id === change.before!.delegationId) ?? null;
          report.push({
            ...entry,
            outcome: "updated",
            messages: [
              `Existing participant: changed from ${describeRole(change.before.role, was, change.before.language)} to ${describeRole(
                role,
                delegation,
                language,
              )}.`,
            ],
          });
        } else {
          report.push({ ...entry, outcome: "added", messages: [`Existing account added as ${describeRole(role, delegation, language)}.`] });
        }
      } else {
        const { link } = await issueInvitation(sql, {
          conferenceId,
          email,
          role,
          delegationId: delegation?.id ?? null,
          language,
          createdBy: actorId,
          origin,
        });
        report.push({
          ...entry,
          outcome: "invited",
          messages: [
            `New person: invitation as ${describeRole(role, delegation, language)} created, valid ${defaultInvitationDays} days. Send them the link.`,
          ],
          link,
        });
      }
    } catch (err) {
      logger.error({ component: "people", err }, `CSV import: row ${record.row} could not be saved`);
      report.push({ ...entry, outcome: "rejected", messages: ["This row could not be saved. Try it again."] });
    }
  }

  const counts: Record<ImportOutcome, number> = { added: 0, updated: 0, unchanged: 0, invited: 0, kept: 0, rejected: 0 };
  for (const r of report) counts[r.outcome]++;
  return { ok: true, rows: report, counts };
}
