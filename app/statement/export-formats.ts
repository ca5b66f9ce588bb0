/** Export formats and their names; shared by the export route and the page (no server imports: safe in the browser bundle). */
export const exportFormats = ["docx", "pdf", "html", "md", "akn", "compilation"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const formatLabels: Record<ExportFormat, string> = {
  docx: "Word (DOCX)",
  pdf: "PDF",
  html: "HTML (print-ready)",
  md: "Markdown",
  akn: "Akoma Ntoso XML",
  compilation: "Compilation text (DOCX)",
};

/** The formats the rolling text is written in (`&rolling=1`): the statement's own, not the compilation or Akoma Ntoso. */
export const rollingFormats = ["docx", "pdf", "html", "md"] as const satisfies readonly ExportFormat[];
