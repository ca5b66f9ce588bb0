import type { LoaderFunctionArgs } from "@remix-run/node";
import { can } from "../../server/auth/permissions";
import { readStatement } from "../../server/negotiation/statement";
import { canSeeProposal, listProposals } from "../../server/queries/proposals";
import { contentDisposition } from "../../server/export/filename";
import { exportFormats, renderExport, type ExportFormat } from "../../server/export/render";
import { requireDocumentPermission } from "../utils/auth.server";
import { invariantResponse } from "../utils/invariant";

/**
 * Downloads of the current text: ?format=docx|pdf|html|md|akn|compilation, and &draft=1 for a
 * draft (watermark, labels and brackets). For the chair and the secretariat.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:export");
  const search = new URL(request.url).searchParams;
  const format = (search.get("format") ?? "docx") as ExportFormat;
  invariantResponse(exportFormats.includes(format), `Unknown export format. Choose one of: ${exportFormats.join(", ")}.`, { status: 400 });
  const stored = await readStatement(context.sql, document.id);
  stored.ydoc.destroy();
  const viewer = { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") };
  const proposals = format === "compilation" ? (await listProposals(context.sql, document.id)).filter((p) => canSeeProposal(p, viewer)) : undefined;
  const file = await renderExport({
    format,
    doc: stored.doc,
    conferenceTitle: conference.title,
    documentTitle: document.title,
    version: "current",
    at: new Date(),
    draft: search.get("draft") === "1" ? {} : null,
    proposals,
  });
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
