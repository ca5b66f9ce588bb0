// The Hocuspocus 4 baseline: @hocuspocus/server 4 (installed as hocuspocus-server-4) with no
// extensions, so documents live in memory only and nobody is authenticated. Listens on PORT
// (0: a free one) and prints the port.
import { Server } from "hocuspocus-server-4";

const server = new Server({ port: Number(process.env.PORT ?? 0), address: "127.0.0.1", quiet: true, stopOnSignals: false });
await server.listen();
console.log(`hocuspocus-4 listening on ${server.address.port}`);
process.on("SIGTERM", () => void server.destroy().finally(() => process.exit(0)));
