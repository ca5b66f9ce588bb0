import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const schema = path.resolve("tests/fixtures/akoma-ntoso/akomantoso30.xsd");

/** xmllint's verdict on an Akoma Ntoso file against the OASIS schema. */
export async function validateAkn(xml: string): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "akn-"));
  const file = path.join(dir, "statement.xml");
  await writeFile(file, xml);
  try {
    const { stderr } = await promisify(execFile)("xmllint", ["--noout", "--schema", schema, file]);
    return { ok: true, output: stderr };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
