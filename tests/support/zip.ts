import JSZip from "jszip";
import { crc32, deflateRawSync } from "node:zlib";

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

export interface CraftedEntry {
  name: string;
  data: Buffer;
  /** The unpacked size the archive declares; the real one when left out. */
  declaredSize?: number;
}

/**
 * A zip archive written byte by byte, every entry deflated, so that a test can make it declare
 * what it likes (a zip bomb lies about its sizes).
 */
export function craftZip(entries: CraftedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const packed = deflateRawSync(e.data, { level: 9 });
    const fields = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at);
      header.writeUInt16LE(0x0800, at + 2);
      header.writeUInt16LE(8, at + 4);
      header.writeUInt16LE(0x21, at + 8);
      header.writeUInt32LE(crc32(e.data), at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(e.declaredSize ?? e.data.length, at + 18);
      header.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, packed);
    directory.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** Every entry of an archive, for crafting another from it. */
export async function zipEntries(archive: Buffer | Uint8Array): Promise<CraftedEntry[]> {
  const zip = await JSZip.loadAsync(archive);
  return Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map(async (f) => ({ name: f.name, data: await f.async("nodebuffer") })),
  );
}
