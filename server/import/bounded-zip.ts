import { promisify } from "node:util";
import { crc32, inflateRaw } from "node:zlib";

/**
 * Unpacks a zip archive (a .docx) within limits, before any library sees it: a file of a few
 * hundred kilobytes can declare, or hold, hundreds of megabytes. The central directory is read
 * first and the archive refused when its entries, or the sizes they declare, are over the limits;
 * then every entry is inflated with its declared size as a hard ceiling, since declarations can
 * lie. Only ZIP as Word writes it is accepted: one disk, stored or deflated entries, no ZIP64,
 * no encryption.
 */

export interface ZipLimits {
  maxEntries: number;
  /** All entries together, once unpacked. */
  maxUnpackedBytes: number;
}

export interface ZipEntry {
  /** The name as stored (bytes), with its general purpose flags, so a re-packed archive names it identically. */
  rawName: Buffer;
  flags: number;
  data: Buffer;
}

/** The archive was refused; the message is for the person who uploaded it. */
export class ZipRefused extends Error {}

const inflate = promisify(inflateRaw);
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
const damaged = () =>
  new ZipRefused("The Word document is damaged (its zip structure is not valid). Save it again from Word as .docx and retry.");

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) return at;
  }
  throw damaged();
}

interface Declared {
  rawName: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function centralDirectory(zip: Buffer, limits: ZipLimits): Declared[] {
  const end = endOfCentralDirectory(zip);
  const disk = zip.readUInt16LE(end + 4);
  const directoryDisk = zip.readUInt16LE(end + 6);
  const entriesHere = zip.readUInt16LE(end + 8);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (disk !== 0 || directoryDisk !== 0 || entriesHere !== count || count === 0xffff || directoryOffset === 0xffffffff) throw damaged();
  if (count > limits.maxEntries) {
    throw new ZipRefused(
      `The Word document holds ${count} parts, more than the ${limits.maxEntries} a document may have. It was not imported.`,
    );
  }
  if (directoryOffset + directorySize > end) throw damaged();
  const entries: Declared[] = [];
  let at = directoryOffset;
  let declaredTotal = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== 0x02014b50) throw damaged();
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const nameLength = zip.readUInt16LE(at + 28);
    if (at + 46 + nameLength > end) throw damaged();
    const entry: Declared = {
      flags,
      method,
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      rawName: zip.subarray(at + 46, at + 46 + nameLength),
    };
    // Encrypted entries, other compression methods and ZIP64 sizes are not what Word writes.
    if (flags & 1 || (method !== 0 && method !== 8) || entry.size === 0xffffffff || entry.compressedSize === 0xffffffff) throw damaged();
    declaredTotal += entry.size;
    if (declaredTotal > limits.maxUnpackedBytes) throw tooLarge(limits);
    entries.push(entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

const tooLarge = (limits: ZipLimits) =>
  new ZipRefused(
    `The Word document unpacks to more than ${mb(limits.maxUnpackedBytes)} MB, more than a statement can be. It was not imported.`,
  );

async function unpack(zip: Buffer, e: Declared): Promise<Buffer> {
  const local = e.localHeaderOffset;
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) throw damaged();
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  if (start + e.compressedSize > zip.length) throw damaged();
  const packed = zip.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) data = packed;
  else {
    try {
      // The declared size is the ceiling: inflating stops there instead of filling memory.
      data = await inflate(packed, { maxOutputLength: Math.max(e.size, 1) });
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw new ZipRefused("The Word document unpacks to more than it declares, as zip bombs do. It was not imported.");
      }
      throw damaged();
    }
  }
  if (data.length !== e.size || crc32(data) !== e.crc) throw damaged();
  return data;
}

/** Every entry of the archive, unpacked; ZipRefused when the archive is over the limits or damaged. */
export async function unpackZip(zip: Buffer, limits: ZipLimits): Promise<ZipEntry[]> {
  const declared = centralDirectory(zip, limits);
  const entries: ZipEntry[] = [];
  for (const e of declared) entries.push({ rawName: e.rawName, flags: e.flags & 0x0800, data: await unpack(zip, e) });
  return entries;
}

/** The entries again as a zip archive, stored without compression: reading it back costs no more than its size. */
export function storedZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { rawName, flags, data } of entries) {
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0x21, 12); // 1980-01-01, the earliest date a zip can hold
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(rawName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(rawName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, rawName, data);
    centrals.push(central, rawName);
    offset += 30 + rawName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
