import type { LoaderFunctionArgs } from "@remix-run/node";
import { appendAudit } from "../../server/audit/log";
import { conferenceArchive } from "../../server/archive/conference-archive";
import { contentDisposition, slug } from "../../server/export/filename";
import { requireConferencePermission } from "~/utils/auth.server";

/**
 * The conference archive for the records (server/archive/conference-archive.ts), for the secretariat.
 * Like the audit log's download, the download is recorded first and so is in the archive's own log.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, conference } = await requireConferencePermission(request, context, params.conferenceId, "conference:manage");
  const filename = `${slug(conference.title)}_archive_${new Date().toISOString().slice(0, 10)}.zip`;
  await context.sql.begin((tx) =>
    appendAudit(tx, {
      conferenceId: conference.id,
      actorId: user.id,
      action: "export.downloaded",
      subject: { what: "conference archive", filename },
    }),
  );
  const body = await conferenceArchive(context.sql, { conference, generatedBy: user.name });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition(filename),
      "Content-Length": String(body.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
