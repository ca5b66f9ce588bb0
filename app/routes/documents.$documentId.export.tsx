import type { LoaderFunctionArgs } from "@remix-run/node";
import { can } from "../../server/auth/permissions";
import { compileStatement } from "../../server/negotiation/compilation";
import { negotiationMarks, textBrackets } from "../../server/negotiation/marks";
import { contentDisposition, exportFilename } from "../../server/export/filename";
import { exportFormats, filenameSymbol, renderExport, type ExportFile, type ExportFormat } from "../../server/export/render";
import { rollingTextFor } from "../../server/negotiation/rolling-text";
import { rollingFormats } from "~/statement/export-formats";
import { redlineDocx } from "../../server/export/redline-docx";
import { compareSides, readSide } from "../../server/versions/compare";
import { currentTextName } from "../../server/versions/current-text-name";
import { appendAudit } from "../../server/audit/log";
import { readAdoptionAnnex } from "../../server/export/adoption-annex";
import { downloadShowsNegotiation, maySeeNegotiation, refusals } from "../../server/auth/visibility";
import { requireDocumentPermission } from "~/utils/auth.server";
import { targetLanguages } from "../../server/translations/translations";
import { inLanguage } from "../../server/translations/translated-statement";
import type { NumberedStatement } from "../../server/negotiation/numbering";
import { invariantResponse } from "~/utils/invariant";

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/**
 * Downloads of the current text: ?format=docx|pdf|html|md|akn|compilation, and &draft=1 for a
 * draft (watermark, labels and brackets); of a version with &version=<id> (the compilation is of
 * the current text only); and ?format=redline&from=&to= (version ids or "current"): the changes
 * between two versions as Word tracked changes. &rolling=1 gives the rolling text (docx, pdf, html,
 * md: a draft with the open proposals the person may see bracketed in; &attributions=0 without
 * their sponsors), of the current text only. &language=<code> gives the text (current, a version's,
 * or a redline's) in one of the conference's languages: the original's numbering with each clause
 * as translated (as the version held it, for a version); the compilation and the rolling text are
 * the negotiation's working documents, in the original language only.
 *
 * Whoever may see a statement downloads what its pages show them (`server/auth/visibility.ts`):
 * delegations (to send the text to their capitals), the chair and the secretariat every file,
 * current or of any version in the history, and redlines, as the history and redline pages show
 * them; observers as the conference's confidentiality says. In standard mode they see the base
 * text and its versions, so they download the text (clean, or a draft whose [brackets] come from
 * clause states alone, not from proposals), its versions and redlines, but nothing that shows the
 * negotiation (the compilation, the rolling text: `&rolling=1`); in closed session nothing; in
 * open mode what delegations download.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, access, conference, document } = await requireDocumentPermission(request, context, params.documentId, "conference:view");
  const search = new URL(request.url).searchParams;
  const seesNegotiation = maySeeNegotiation(access, conference);
  invariantResponse(seesNegotiation || !downloadShowsNegotiation(search), refusals.text, { status: 403 });
  // A download changes nothing, so its entry has a transaction of its own; no entry, no file.
  const deliver = async (file: ExportFile, subject: Record<string, unknown>) => {
    await context.sql.begin((tx) =>
      appendAudit(tx, {
        documentId: document.id,
        actorId: user.id,
        action: "export.downloaded",
        subject: { ...subject, document: document.title, filename: file.filename, bytes: file.body.length },
      }),
    );
    return download(file);
  };
  const format = search.get("format") ?? "docx";
  const names = { conference: conference.title, document: document.title };
  const code = search.get("language") ?? document.originalLanguage;
  invariantResponse(
    code === document.originalLanguage || targetLanguages(conference, document).includes(code),
    "This statement is not translated into that language.",
    { status: 404 },
  );
  const translation = code !== document.originalLanguage;
  const language = { code, original: document.originalLanguage };
  const inCode = <S extends NumberedStatement>(s: S, versionId: string | null): Promise<S & { untranslated?: ReadonlySet<string> }> =>
    translation ? inLanguage(context.sql, s, { statementId: document.id, versionId, language: code }) : Promise.resolve(s);
  // Every file's title block: the conference, and the statement's symbol and distribution.
  const titleBlock = { conference, document };

  if (format === "redline") {
    const [read, readTo] = await Promise.all([
      readSide(context.sql, document, search.get("from") ?? ""),
      readSide(context.sql, document, search.get("to") ?? "current"),
    ]);
    invariantResponse(read && readTo, "There is no such version of this statement.", { status: 404 });
    const [from, to] = await Promise.all([inCode(read, read.id), inCode(readTo, readTo.id)]);
    const { redline, sources } = await compareSides(context.sql, document.id, from, to, language);
    const file = {
      body: await redlineDocx(redline, { date: to.at, sources }),
      contentType: docxType,
      filename: exportFilename(
        {
          ...names,
          symbol: filenameSymbol({ ...titleBlock, version: to.label }),
          version: `${from.label} to ${to.label}`,
          language: translation ? code : undefined,
          kind: "redline",
        },
        "docx",
      ),
    };
    return deliver(file, { format, from: from.label, to: to.label, ...(translation ? { language: code } : {}) });
  }

  invariantResponse(
    exportFormats.includes(format as ExportFormat),
    `Unknown export format. Choose one of: ${[...exportFormats, "redline"].join(", ")}.`,
    {
      status: 400,
    },
  );
  const draft = search.get("draft") === "1";
  const rolling = search.get("rolling") === "1";
  const attributions = search.get("attributions") !== "0";
  invariantResponse(
    !rolling || (rollingFormats as readonly string[]).includes(format),
    `The rolling text is exported as ${rollingFormats.join(", ")}.`,
    { status: 400 },
  );
  invariantResponse(
    !translation || (format !== "compilation" && !rolling),
    "The compilation and the rolling text are the negotiation's working documents: they are in the original language only.",
    { status: 400 },
  );
  const versionId = search.get("version");
  if (versionId && versionId !== "current") {
    invariantResponse(format !== "compilation", "The compilation is of the current text only.", { status: 400 });
    invariantResponse(!rolling, "The rolling text is of the current text only.", { status: 400 });
    const side = await readSide(context.sql, document, versionId);
    invariantResponse(side, "There is no such version of this statement.", { status: 404 });
    const version = await inCode(side, side.id);
    return deliver(
      await renderExport({
        format: format as ExportFormat,
        language: { ...language, untranslated: version.untranslated },
        doc: version.doc,
        conferenceTitle: conference.title,
        documentTitle: document.title,
        version: version.label,
        at: version.at,
        created: document.createdAt,
        numbering: version.clauses,
        draft: draft ? { bracketed: new Set() } : null,
        titleBlock,
        // A version saved once the text was adopted is the adopted text.
        adoption: document.adoptedAt && version.at >= document.adoptedAt ? await readAdoptionAnnex(context.sql, document.id) : null,
      }),
      { format, draft, version: version.label, ...(translation ? { language: code } : {}) },
    );
  }

  const marks = await negotiationMarks(context.sql, document);
  // A draft (and the compilation, a working document) shows [brackets] and a watermark; every file numbers as the editor does.
  const stored = await inCode(marks.statement, null);
  const now = new Date();
  const viewer = { delegationId: access.delegationId, isChair: can(access, "negotiation:chair") };
  return deliver(
    await renderExport({
      format: format as ExportFormat,
      language: { ...language, untranslated: stored.untranslated },
      doc: stored.doc,
      conferenceTitle: conference.title,
      documentTitle: document.title,
      version: await currentTextName(context.sql, document.id, marks.statement.doc, now),
      at: now,
      created: document.createdAt,
      numbering: stored.clauses,
      draft: draft || format === "compilation" ? { bracketed: seesNegotiation ? marks.bracketed : textBrackets(marks) } : null,
      compilation:
        format === "compilation"
          ? (await compileStatement(context.sql, marks, viewer, { delegationId: null, state: null, status: null })).entries
          : undefined,
      rolling: rolling ? { statement: rollingTextFor(marks, viewer, { attributions }), attributions } : undefined,
      titleBlock,
      // The current text of an adopted statement is the adopted text: it carries its adoption line and annex.
      adoption: await readAdoptionAnnex(context.sql, document.id),
    }),
    { format, draft, version: "current", ...(rolling ? { rolling, attributions } : {}), ...(translation ? { language: code } : {}) },
  );
}

function download(file: ExportFile): Response {
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
