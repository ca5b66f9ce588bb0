import type { Sql } from "../db/sql";
import { createConference, findConferenceBySlug, setConferenceLanguages, type ConferenceRow } from "../queries/conferences";
import { createDelegation, findDelegationByCodeOrName } from "../queries/delegations";
import { listGroupMembers, setGroupMembers } from "../queries/delegation-groups";
import { createUser, findUserByEmail } from "../queries/users";
import { generatePassword, hashPassword } from "../auth/password";
import { demoStatement } from "./demo-statement";
import { createStatement, zeroDraftName } from "../versions/new-statement";
import type { DelegationKind, Role } from "../../app/statement/vocabulary";

export const demoConferenceSlug = "imac4";

export const demoDelegations: { code: string; name: string; kind: DelegationKind }[] = [
  { code: "AZE", name: "Azerbaijan", kind: "member_state" },
  { code: "COL", name: "Colombia", kind: "member_state" },
  { code: "JPN", name: "Japan", kind: "member_state" },
  { code: "NOR", name: "Norway", kind: "member_state" },
  { code: "G77", name: "G-77 and China", kind: "group" },
  { code: "UNDP", name: "United Nations Development Programme", kind: "un_entity" },
  { code: "ICBL", name: "International Campaign to Ban Landmines", kind: "ngo" },
];

/** The demo conference works in the languages of its delegations' statements. */
const demoLanguages = ["en", "fr", "es", "ar"];

const demoPeople: { email: string; name: string; role: Role; delegation?: string; language?: string }[] = [
  { email: "secretariat@demo.test", name: "Leyla Mammadova (Secretariat)", role: "secretariat" },
  { email: "chair@demo.test", name: "Amb. Rashad Aliyev (Chair)", role: "chair" },
  { email: "observer@demo.test", name: "Press Observer", role: "observer" },
  { email: "translator-fr@demo.test", name: "Claire Dubois (French translator)", role: "translator", language: "fr" },
  ...demoDelegations.map((d): { email: string; name: string; role: Role; delegation: string } => ({
    email: `${d.code.toLowerCase()}@demo.test`,
    name: `Delegate of ${d.name}`,
    role: "delegate",
    delegation: d.code,
  })),
];

/**
 * The demo conference, its zero draft, delegations and one account per role. Each part is
 * created when missing, so the seed can run on every development start. Accounts created now
 * get DEMO_PASSWORD or a generated password, printed; with DEMO_PASSWORD set, existing demo
 * accounts are reset to it, so the printed credentials always work.
 */
export async function seedDemo(
  sql: Sql,
  { password, log }: { password?: string; log: (line: string) => void },
): Promise<{ conference: ConferenceRow; created: boolean }> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('concord:seed-demo'))`;
    let conference = await findConferenceBySlug(tx, demoConferenceSlug);
    const created = !conference;
    if (!conference) {
      conference = await createConference(tx, {
        slug: demoConferenceSlug,
        title: "4th International Mine Action Conference",
        subtitle: "Humanitarian Demining for Urban Recovery: Setting Standards of Excellence for Safe Settlements",
        venue: "Baku, Azerbaijan",
        symbolPrefix: "IMAC4/2026",
        startsOn: "2026-05-12",
        endsOn: "2026-05-15",
      });
      await createStatement(tx, {
        conferenceId: conference.id,
        title: "Joint Statement",
        content: demoStatement(),
        versionName: zeroDraftName,
        createdBy: null,
      });
    }
    // A demo conference working in English alone (the default: new, or seeded before conferences had
    // languages) gets the demo's languages, so its translator's is one; other choices are kept.
    if (conference.languages.length === 1 && conference.languages[0] === "en") {
      await setConferenceLanguages(tx, conference.id, demoLanguages);
      conference = { ...conference, languages: demoLanguages };
    }
    for (const d of demoDelegations) {
      if (!(await findDelegationByCodeOrName(tx, conference.id, d.code))) await createDelegation(tx, { ...d, conferenceId: conference.id });
    }
    // The demo group has a member, which can align with the group's proposals.
    const [g77, colombia] = [
      await findDelegationByCodeOrName(tx, conference.id, "G77"),
      await findDelegationByCodeOrName(tx, conference.id, "COL"),
    ];
    if (g77?.kind === "group" && colombia && !(await listGroupMembers(tx, conference.id)).has(g77.id)) {
      await setGroupMembers(tx, conference.id, g77.id, [colombia.id]);
    }
    const printed: string[] = [];
    // One hash serves every account when they share DEMO_PASSWORD (hashing is deliberately slow).
    const sharedHash = password ? await hashPassword(password) : null;
    for (const p of demoPeople) {
      let user = await findUserByEmail(tx, p.email);
      if (!user) {
        const pw = password ?? generatePassword();
        await createUser(tx, { email: p.email, name: p.name, passwordHash: sharedHash ?? (await hashPassword(pw)) });
        user = (await findUserByEmail(tx, p.email))!;
        printed.push(`  ${p.email.padEnd(24)} ${p.role.padEnd(12)} ${pw}`);
      } else if (password) {
        await tx`update users set password_hash = ${sharedHash} where id = ${user.id}`;
        printed.push(`  ${p.email.padEnd(24)} ${p.role.padEnd(12)} ${password}`);
      }
      const delegation = p.delegation ? await findDelegationByCodeOrName(tx, conference.id, p.delegation) : null;
      await tx`
        insert into memberships (conference_id, user_id, role, delegation_id, language)
        values (${conference.id}, ${user.id}, ${p.role}, ${delegation?.id ?? null}, ${p.language ?? null})
        on conflict (conference_id, user_id) do nothing`;
    }
    if (printed.length > 0) log(`Demo accounts (e-mail, role, password):\n${printed.join("\n")}`);
    else log("Demo accounts exist already (their passwords were printed when created; set DEMO_PASSWORD to reset them).");
    return { conference, created };
  });
}
