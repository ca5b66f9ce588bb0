import type { LoaderFunctionArgs } from "@remix-run/node";
import { can } from "../../server/auth/permissions";
import { readStatement } from "../../server/negotiation/statement";
import { canSeeProposal } from "../../server/queries/proposals";
import { negotiationMarks } from "../../server/negotiation/marks";
import { contentDisposition } from "../../server/export/filename";
import { exportFormats, renderExport, type ExportFormat } from "../../server/export/render";
import { appendAudit } from "../../server/audit/log";
import { requireDocumentPermission } from "../utils/auth.server";
import { invariantResponse } from "../utils/invariant";

/**
 * Downloads of the current text: ?format=docx|pdf|html|md|akn|compilation, and &draft=1 for a
 * draft (watermark, labels and brackets). For the chair and the secretariat.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:export");
  const search = new URL(request.url).searchParams;
  const format = (search.get("format") ?? "docx") as ExportFormat;
  invariantResponse(exportFormats.includes(format), `Unknown export format. Choose one of: ${exportFormats.join(", ")}.`, { status: 400 });
  const draft = search.get("draft") === "1" || format === "compilation";
  const marks = await negotiationMarks(context.sql, document);
  // A draft (and the compilation, a working document) shows "OP5 bis" and [brackets]; a final text is numbered densely.
  const stored = await readStatement(context.sql, document.id, marks.provisional);
  stored.ydoc.destroy();
  const labels = new Map(stored.clauses.filter((c) => c.id).map((c) => [c.id!, c.label.slice(2)]));
  const viewer = { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") };
  const proposals = format === "compilation" ? marks.proposals.filter((p) => canSeeProposal(p, viewer)) : undefined;
  const file = await renderExport({
    format,
    doc: stored.doc,
    conferenceTitle: conference.title,
    documentTitle: document.title,
    version: "current",
    at: new Date(),
    draft: draft ? { labels, bracketed: marks.bracketed } : null,
    proposals,
  });
  // A download changes nothing, so its entry has a transaction of its own; no entry, no file.
  await context.sql.begin((tx) =>
    appendAudit(tx, {
      documentId: document.id,
      actorId: user.id,
      action: "export.downloaded",
      subject: { format, draft, version: "current", document: document.title, filename: file.filename, bytes: file.body.length },
    })
  );
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.filename),
      "Content-Length": String(file.body.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
