import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { SessionUser } from "../../server/queries/sessions";
import { invitationDayChoices, maxImportBytes } from "~/statement/limits";
import {
  changeParticipantRole,
  importParticipants,
  inviteParticipant,
  participantResetLink,
  peoplePageData,
  removeParticipant,
  revokeParticipantInvitation,
} from "./conferences.$conferenceId.people.server";
import { ConferenceLayout } from "~/components/ConferenceLayout";
import { ErrorList } from "~/components/forms";
import { CopyField } from "~/components/CopyField";
import { formatUtc } from "~/utils/dates";
import { ImportSection } from "~/people/ImportSection";
import { InvitationsTable } from "~/people/InvitationsTable";
import { InviteSection } from "~/people/InviteSection";
import { ParticipantsTable } from "~/people/ParticipantsTable";
import { RemoveConfirmation } from "~/people/RemoveConfirmation";
import { readProtectedForm, requireConferencePermission, requirePasswordSignIn } from "~/utils/auth.server";
import { invalid, parseForm, type FieldErrors } from "~/utils/forms";
import { answeringRefusals } from "~/utils/refusals.server";
import { publicOrigin } from "~/utils/public-origin.server";
import { readProtectedUpload } from "~/utils/upload.server";
import { languageOf } from "~/statement/languages";
import { roleLabels } from "~/statement/people-labels";
import { type Role, roles } from "~/statement/vocabulary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `People · ${data.conference.title} · Concord` : "Concord" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  return { conference, ...(await peoplePageData(context.sql, conference.id)), currentUserId: user.id };
}

const roleSchema = z.enum(roles as [Role, ...Role[]], { error: "Choose a role." });
const needsDelegation = (v: { role: Role; delegationId?: string }, ctx: z.RefinementCtx) => {
  if (v.role === "delegate" && !v.delegationId)
    ctx.addIssue({ code: "custom", path: ["delegationId"], message: "Choose the delegation this delegate speaks for." });
};
const optionalId = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((v) => v || undefined);
/** A translator's language; which roles take one, and which languages, is checked with the conference (translator-language.ts). */
const optionalLanguage = z
  .string()
  .trim()
  .max(20, "Choose one of the conference's languages.")
  .optional()
  .transform((v) => v || undefined);

const userIdSchema = z
  .string({ error: "Choose a person." })
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Choose a person.");
const roleChangeSchema = z
  .object({ userId: userIdSchema, role: roleSchema, delegationId: optionalId, language: optionalLanguage })
  .superRefine(needsDelegation);
const removeSchema = z.object({ userId: userIdSchema });
const inviteSchema = z
  .object({
    email: z
      .string({ error: "Enter the e-mail address of the person to invite." })
      .trim()
      .max(254, "That e-mail address is too long.")
      .email("Enter a valid e-mail address."),
    role: roleSchema,
    delegationId: optionalId,
    language: optionalLanguage,
    days: z
      .enum(invitationDayChoices.map(String) as [string, ...string[]], { error: "Choose how long the link stays valid." })
      .transform(Number),
  })
  .superRefine(needsDelegation);
const revokeSchema = z.object({ invitationId: z.string({ error: "Choose an invitation." }).min(1).max(100) });

/** Everything the secretariat does on this page; every branch is checked for the right and the anti-forgery token. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { conference, user } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data"))
    return importAction(request, context, conference, user);

  const form = await readProtectedForm(request, context, user);
  const intent = form.get("intent");
  const sql = context.sql;
  const at = { conferenceId: conference.id, actorId: user.id };

  if (intent === "role") {
    const parsed = parseForm(form, roleChangeSchema);
    if (!parsed.ok) return invalid(parsed);
    const { userId, role, delegationId, language } = parsed.data;
    const changed = await changeParticipantRole(sql, { ...at, userId, role, delegationId, language });
    if (!changed.ok) {
      const values = { intent, userId, role, delegationId: delegationId ?? "", language: language ?? "" };
      return invalid({ errors: { [changed.field]: [changed.error] }, values });
    }
    return { ok: true as const, intent: "role" as const, message: changed.message };
  }

  if (intent === "remove") {
    const parsed = parseForm(form, removeSchema);
    if (!parsed.ok) return invalid(parsed);
    const removed = await removeParticipant(sql, { ...at, userId: parsed.data.userId });
    if (!removed.ok) return invalid({ errors: { [removed.field]: [removed.error] }, values: { intent } });
    return { ok: true as const, intent: "remove" as const, message: removed.message };
  }

  if (intent === "invite") {
    const parsed = parseForm(form, inviteSchema);
    if (!parsed.ok) return invalid(parsed);
    const { email, role, delegationId, language, days } = parsed.data;
    const values = { intent, email, role, delegationId: delegationId ?? "", language: language ?? "", days: String(days) };
    const invited = await inviteParticipant(sql, {
      ...at,
      email,
      role,
      delegationId,
      language,
      days,
      origin: publicOrigin(request, context),
    });
    if (!invited.ok) return invalid({ errors: { [invited.field]: [invited.error] }, values });
    return { ok: true as const, intent: "invite" as const, message: invited.message, invitation: invited.invitation };
  }

  if (intent === "revoke") {
    const parsed = parseForm(form, revokeSchema);
    if (!parsed.ok) return invalid(parsed);
    const revoked = await revokeParticipantInvitation(sql, { conferenceId: conference.id, invitationId: parsed.data.invitationId });
    if (!revoked.ok) return invalid({ errors: { [revoked.field]: [revoked.error] }, values: { intent } });
    return { ok: true as const, intent: "revoke" as const, message: revoked.message };
  }

  if (intent === "resetLink") {
    requirePasswordSignIn(context);
    const parsed = parseForm(form, removeSchema);
    if (!parsed.ok) return invalid(parsed);
    const values = { intent };
    return answeringRefusals(
      (failure, status) => invalid({ ...failure, values }, status),
      async () => {
        const made = await participantResetLink(sql, {
          conferenceId: conference.id,
          actor: user,
          userId: parsed.data.userId,
          origin: publicOrigin(request, context),
        });
        return { ok: true as const, intent: "resetLink" as const, ...made };
      },
    );
  }

  if (intent === "import") return invalid({ errors: { file: ["Choose a CSV file to import."] }, values: { intent } });

  return invalid({ errors: { form: ["Unknown action."] } });
}

/** CSV import: the upload is read by {@link readProtectedUpload}; a file over the limit is answered next to the file field. */
async function importAction(request: Request, context: AppLoadContext, conference: ConferenceRow, user: SessionUser) {
  const upload = await readProtectedUpload(request, context, user, { intent: "import", maxBytes: maxImportBytes });
  const values = { intent: "import" };
  if (!upload.ok) {
    switch (upload.problem) {
      case "unknown-intent":
        return invalid({ errors: { form: ["Unknown action."] } });
      case "too-large":
        return invalid({
          errors: {
            file: [`The file is larger than ${maxImportBytes / 1024 / 1024} MB. Split it into smaller files and import them one by one.`],
          },
          values,
        });
      case "no-file":
        return invalid({ errors: { file: ["Choose a CSV file to import."] }, values });
      case "empty":
        return invalid({ errors: { file: ["The file is empty."] }, values });
    }
  }
  const { file } = upload;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return invalid({
      errors: { file: ["The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8” and try again."] },
      values,
    });
  }
  const imported = await importParticipants(context.sql, {
    conferenceId: conference.id,
    actorId: user.id,
    text,
    fileName: file.name,
    origin: publicOrigin(request, context),
  });
  if (!imported.ok) return invalid({ errors: { [imported.field]: [imported.error] }, values });
  return { ok: true as const, intent: "import" as const, message: imported.message, report: imported.report };
}

export default function PeoplePage() {
  const { conference, members, delegations, invitations, mailing, currentUserId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const location = useLocation();
  const path = `/conferences/${conference.id}/people`;
  const failure = result && !result.ok ? result : null;
  const errorsFor = (intent: string): FieldErrors => (failure && failure.values.intent === intent ? failure.errors : {});
  const valuesFor = (intent: string): Record<string, string> => (failure && failure.values.intent === intent ? failure.values : {});
  const removeId = new URLSearchParams(location.search).get("remove");
  const removing = removeId ? members.find((m) => m.userId === removeId && m.userId !== currentUserId) : undefined;

  const roleOptions = roles.map((r) => ({ value: r, label: roleLabels[r] }));
  const delegationOptions = [
    { value: "", label: "— No delegation —" },
    ...delegations.map((d) => ({ value: d.id, label: `${d.name} (${d.code})` })),
  ];
  const languageOptions = [
    { value: "", label: "— No language —" },
    ...conference.languages.map((code) => ({ value: code, label: languageOf(code).name })),
  ];

  return (
    <ConferenceLayout conference={conference} canManage current="people" className="people-page">
      <h2>People</h2>
      <div role="status" className="status-region">
        {result?.ok ? <p className="notice">{result.message}</p> : null}
      </div>
      <ErrorList
        errors={
          failure && failure.values.intent !== "invite" && failure.values.intent !== "import"
            ? [...(failure.errors.form ?? []), ...(failure.errors.userId ?? [])]
            : null
        }
      />
      {result?.ok && result.intent === "resetLink" ? (
        <section className="card created-link" aria-labelledby="reset-link">
          <h3 id="reset-link">Password link</h3>
          <p>The link is valid until {formatUtc(result.resetLink.expiresAt)}. It is shown only this once: copy it now.</p>
          <CopyField label="Password link" value={result.resetLink.link} />
        </section>
      ) : null}
      {removing ? <RemoveConfirmation removing={removing} conferenceTitle={conference.title} path={path} busy={busy} /> : null}
      <ParticipantsTable
        members={members}
        currentUserId={currentUserId}
        conferenceTitle={conference.title}
        path={path}
        roleOptions={roleOptions}
        delegationOptions={delegationOptions}
        languageOptions={languageOptions}
        roleErrors={errorsFor("role")}
        roleValues={valuesFor("role")}
        busy={busy}
      />
      <InviteSection
        path={path}
        created={result?.ok && result.intent === "invite" ? result : null}
        errors={errorsFor("invite")}
        values={valuesFor("invite")}
        roleOptions={roleOptions}
        delegationOptions={delegationOptions}
        languageOptions={languageOptions}
        mailing={mailing}
        busy={busy}
      />
      <InvitationsTable invitations={invitations} conferenceTitle={conference.title} path={path} busy={busy} />
      <ImportSection
        path={path}
        report={result?.ok && result.intent === "import" ? result.report : null}
        errors={errorsFor("import")}
        busy={busy}
      />
    </ConferenceLayout>
  );
}
