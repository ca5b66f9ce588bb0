import { formatLabels, type ExportFormat } from "~/statement/export-formats";

/**
 * "Export" on the statement page: a plain GET form to the export route, so the browser downloads
 * the file itself (no script needed, and the page stays as it is). It offers the formats the person
 * may download, and the rolling text only to those who see the negotiation (the server decides the same),
 * in any of the statement's languages (the compilation and the rolling text in the original only).
 */
export function ExportMenu({
  documentId,
  formats,
  rolling,
  languages,
}: {
  documentId: string;
  formats: readonly ExportFormat[];
  rolling: boolean;
  languages: { code: string; name: string; original: boolean }[];
}) {
  return (
    <details className="export-menu">
      <summary className="button small on-dark">Export</summary>
      <form method="get" action={`/documents/${documentId}/export`} className="export-form">
        <label htmlFor="export-format">Format</label>
        <select id="export-format" name="format" defaultValue="docx">
          {formats.map((f) => (
            <option key={f} value={f}>
              {formatLabels[f]}
            </option>
          ))}
        </select>
        {languages.length > 1 ? (
          <>
            <label htmlFor="export-language">Language</label>
            <select id="export-language" name="language" defaultValue={languages[0].code}>
              {languages.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.original ? `${l.name} (original)` : l.name}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <label className="export-draft">
          <input type="checkbox" name="draft" value="1" /> Draft (watermark, brackets)
        </label>
        {rolling ? (
          <fieldset className="export-rolling">
            <legend>Rolling text (Word, PDF, HTML, Markdown)</legend>
            <label className="export-draft">
              <input type="checkbox" name="rolling" value="1" /> Open proposals in brackets, with their sponsors
            </label>
            <label className="export-draft">
              <input type="checkbox" name="attributions" value="0" /> Without the sponsors
            </label>
          </fieldset>
        ) : null}
        <button type="submit" className="button small primary">
          Download
        </button>
      </form>
    </details>
  );
}
