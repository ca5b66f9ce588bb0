import { roleLabels } from "../../app/statement/people-labels";
import { languages } from "../../app/statement/languages";
import type { Role } from "../../app/statement/vocabulary";

/** A language by its English name, and a code that is none by itself, quoted. */
const nameOf = (code: string) => languages.find((l) => l.code === code)?.name ?? `"${code}"`;

/** "English, French and Spanish". */
const namesOf = (codes: readonly string[]) => {
  const names = codes.map(nameOf);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names.join("");
};

/**
 * Why a person cannot take this role with this language in a conference working in
 * `conferenceLanguages`, or null when they can. A translator works in exactly one of the
 * conference's languages; nobody else has one. The one rule for inviting, changing a role and
 * importing.
 */
export function languageProblem(role: Role, language: string | null, conferenceLanguages: readonly string[]): string | null {
  if (role !== "translator")
    return language
      ? `Only a translator works in a language: leave the language empty for the role ${roleLabels[role].toLowerCase()}.`
      : null;
  if (!language) return "Choose the language this translator works in.";
  if (!conferenceLanguages.includes(language))
    return `${nameOf(language)} is not a language of this conference; its languages are ${namesOf(conferenceLanguages)}.`;
  return null;
}

/** A language as a file or a person writes it: its code ("fr") or its English name ("French"), in any case. */
export function readLanguage(text: string): string | null {
  const key = text.trim().toLowerCase();
  return languages.find((l) => l.code === key || l.name.toLowerCase() === key)?.code ?? null;
}
