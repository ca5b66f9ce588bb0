import type { Node as PMNode } from "@tiptap/pm/model";
import { buildExportModel, type ExportOptions, type ExportStatement } from "./model";
import { withAdoptionAnnex, type StoredAdoption } from "./adoption-annex";
import { statementDocx } from "./docx";
import { statementPdf } from "./pdf";
import { statementHtml } from "./html";
import { statementMarkdown } from "./markdown";
import { statementAkomaNtoso } from "./akoma-ntoso";
import { compilationDocx, entriesOf } from "./compilation-docx";
import type { CompilationEntry } from "../negotiation/compilation";
import { exportExtensions, exportFilename, slug } from "./filename";
import { symbolOf, titleBlock, type TitleBlockInput } from "./title-block";

import { exportFormats, type ExportFormat } from "../../app/statement/export-formats";
import { documentSymbol } from "../../app/statement/document-symbol";

export { exportFormats, type ExportFormat };

const contentTypes: Record<ExportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  compilation: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  akn: "application/akn+xml; charset=utf-8",
};

export interface ExportRequest {
  format: ExportFormat;
  /** A statement document (the current text, or a version's). */
  doc: PMNode;
  conferenceTitle: string;
  documentTitle: string;
  /** What the text is: "Rev.1", "Rev.1 with changes 2026-12-05", … */
  version: string;
  /** The time of the text. */
  at: Date;
  /** When the statement was created: the date that names it in Akoma Ntoso, whatever its version. */
  created: Date;
  /** The text's numbering, which every format prints. */
  numbering: ExportOptions["numbering"];
  /** A draft (watermark, labels, brackets on these clauses); null for the clean text. */
  draft: Pick<ExportOptions, "bracketed"> | null;
  /** For the compilation: as its page shows it to the person (server/negotiation/compilation.ts); the clauses alone without it. */
  compilation?: CompilationEntry[];
  /** The rolling text (server/negotiation/rolling-text.ts), written instead of the doc as it stands: a draft. */
  rolling?: { statement: ExportStatement; attributions: boolean };
  /** A translation: its language and the original's (the original language when not given), and the clauses not translated yet. */
  language?: { code: string; original: string; untranslated?: ReadonlySet<string> };
  /** The adopted statement's adoption line and explanations of position, printed after its text. */
  adoption?: StoredAdoption | null;
  /** The conference and the statement as the title block prints them; the symbol names the file when the conference has a prefix. */
  titleBlock?: Pick<TitleBlockInput, "conference" | "document">;
}

/** A statement's symbol for its file name: when the conference has a prefix (a bare "L.1" names nothing). */
export function filenameSymbol(t: Pick<TitleBlockInput, "conference" | "document" | "version"> | undefined): string | undefined {
  return t?.conference.symbolPrefix ? symbolOf(t) : undefined;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
}

/** One statement in one format, with its file name: what the export route (and later, versions) serve. */
export async function renderExport(r: ExportRequest): Promise<ExportFile> {
  // The compilation is a working document: clauses keep their labels and brackets.
  const final = r.format !== "compilation" && !r.draft;
  const model = withAdoptionAnnex(
    r.rolling?.statement ??
      buildExportModel(r.doc, {
        final,
        numbering: r.numbering,
        language: r.language,
        untranslated: r.language?.untranslated,
        ...(r.draft ?? {}),
      }),
    r.adoption ?? null,
  );
  const heading = r.titleBlock && { ...r.titleBlock, version: r.version, at: r.at };
  const statement = heading
    ? { ...model, titleBlock: titleBlock({ ...heading, language: model.language, original: model.originalLanguage }) }
    : model;
  const filename = exportFilename(
    {
      symbol: filenameSymbol(heading),
      conference: r.conferenceTitle,
      document: r.documentTitle,
      version: r.version,
      // A translation names its language.
      language: r.language && r.language.code !== r.language.original ? r.language.code : undefined,
      // A draft (labels, brackets, watermark) and the clean text must not be taken for one another.
      kind:
        r.format === "compilation"
          ? "compilation"
          : r.rolling
            ? r.rolling.attributions
              ? "rolling"
              : "rolling-unattributed"
            : r.draft
              ? "draft"
              : "clean",
    },
    exportExtensions[r.format],
  );
  const body = await (async (): Promise<Buffer | string> => {
    switch (r.format) {
      case "docx":
        return statementDocx(statement);
      case "pdf":
        return statementPdf(statement);
      case "html":
        return statementHtml(statement);
      case "md":
        return statementMarkdown(statement);
      case "akn":
        return statementAkomaNtoso(statement, {
          conferenceTitle: r.conferenceTitle,
          documentSlug: slug(r.documentTitle),
          versionSlug: slug(r.version, 30),
          workDate: r.created.toISOString().slice(0, 10),
          date: r.at.toISOString().slice(0, 10),
          symbol: r.titleBlock?.conference.symbolPrefix
            ? documentSymbol({
                prefix: r.titleBlock.conference.symbolPrefix,
                part: r.titleBlock.document.symbol,
                addendum: r.titleBlock.document.addendum,
              })
            : undefined,
        });
      case "compilation":
        return compilationDocx({ statement, conferenceTitle: r.conferenceTitle, entries: r.compilation ?? entriesOf(statement), at: r.at });
    }
  })();
  return { body: typeof body === "string" ? Buffer.from(body, "utf8") : body, contentType: contentTypes[r.format], filename };
}
