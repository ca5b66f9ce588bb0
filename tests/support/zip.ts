import JSZip from "jszip";

/** One file of a zip archive (a DOCX) as text. */
export async function zipText(archive: Buffer | Uint8Array, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(archive);
  const file = zip.file(name);
  if (!file) throw new Error(`${name} is not in the archive (${Object.keys(zip.files).join(", ")})`);
  return file.async("string");
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => entities[e]);

/** The text of each w:p of a WordprocessingML part, runs joined (w:tab as "\t"). */
export function wordParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
    [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((t) => (t[1] === undefined ? "\t" : decode(t[1]))).join(""),
  );
}
