import { formatLabels, type ExportFormat } from "~/statement/export-formats";

/**
 * "Export" on the statement page: a plain GET form to the export route, so the browser downloads
 * the file itself (no script needed, and the page stays as it is). It offers the formats the person
 * may download (the server decides the same).
 */
export function ExportMenu({ documentId, formats }: { documentId: string; formats: readonly ExportFormat[] }) {
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
        <label className="export-draft">
          <input type="checkbox" name="draft" value="1" /> Draft (watermark, brackets)
        </label>
        <button type="submit" className="button small primary">
          Download
        </button>
      </form>
    </details>
  );
}
