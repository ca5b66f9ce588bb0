import type { LoaderFunctionArgs } from "@remix-run/node";
import { appendAudit } from "../../server/audit/log";
import { auditContentTypes, auditDownload, auditFormats, type AuditFormat } from "../../server/audit/download";
import { contentDisposition, slug } from "../../server/export/filename";
import { requireConferencePermission } from "~/utils/auth.server";
import { invariantResponse } from "~/utils/invariant";

/**
 * The whole audit log of a conference, with its hashes: ?format=jsonl (the default) or csv. For
 * the secretariat. The download is itself recorded, and is in the file it produces.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const format = (new URL(request.url).searchParams.get("format") ?? "jsonl") as AuditFormat;
  invariantResponse(auditFormats.includes(format), `Unknown format. Choose one of: ${auditFormats.join(", ")}.`, { status: 400 });
  const filename = `${slug(conference.title)}_audit-log_${new Date().toISOString().slice(0, 10)}.${format}`;
  await context.sql.begin((tx) =>
    appendAudit(tx, {
      conferenceId: conference.id,
      actorId: user.id,
      action: "export.downloaded",
      subject: { what: "audit log", format, filename },
    }),
  );
  return new Response(auditDownload(context.sql, conference.id, format), {
    headers: {
      "Content-Type": auditContentTypes[format],
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
