// Started by tests/db/embedded-postgres.test.ts: starts an embedded cluster in the directory
// given as argument, writes a row, reports "READY <url>", and waits to be SIGKILLed, which leaves
// the postmaster running without the process that started it.
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../server/db/embedded";

const db = await startEmbeddedPostgres(process.argv[2]);
const sql = postgres(db.url, { max: 1, onnotice: () => {} });
await sql`create table if not exists survivors (note text not null)`;
await sql`insert into survivors (note) values (${process.argv[3] ?? "written before the kill"})`;
await sql.end();
console.log(`READY ${db.url}`);
setInterval(() => {}, 60_000);
