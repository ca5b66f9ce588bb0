import net from "node:net";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { onCleanup, once } from "./cleanup";
import { waitFor } from "./wait";

/**
 * A real SMTP server for a test, on a free loopback port (no TLS, authentication optional), that
 * parses what arrives with mailparser. `refuseOnce` makes it answer a recipient's next RCPT TO
 * with a temporary failure (451), as a greylisting server does.
 */
export interface TestSmtp {
  /** The SMTP_URL to give Concord. */
  url: string;
  received: ParsedMail[];
  /** The messages to an address, as they arrived. */
  to(address: string): ParsedMail[];
  /** Waits for the `count`-th message to an address and returns it. */
  nextTo(address: string, count?: number): Promise<ParsedMail>;
  refuseOnce(address: string): void;
  close(): Promise<void>;
}

const recipientsOf = (m: ParsedMail) => [m.to ?? []].flat().flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));

export async function startSmtp(): Promise<TestSmtp> {
  const received: ParsedMail[] = [];
  const refusing = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const email = address.address.toLowerCase();
      if (refusing.delete(email)) {
        const err = Object.assign(new Error("Greylisted, try again later"), { responseCode: 451 });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = (server as unknown as { server: net.Server }).server.address() as AddressInfo;
  const close = once(() => new Promise<void>((resolve) => server.close(() => resolve())));
  onCleanup(close);
  const to = (address: string) => received.filter((m) => recipientsOf(m).includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to,
    async nextTo(address, count = 1) {
      await waitFor(() => to(address).length >= count, { what: `mail number ${count} to ${address}`, timeoutMs: 30_000 });
      return to(address)[count - 1];
    },
    refuseOnce(address) {
      refusing.add(address.toLowerCase());
    },
    close,
  };
}

/** A loopback port free now, for a server whose PUBLIC_URL must name its port before it starts. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The first link in a mail's text that starts with `prefix`. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const link = (mail.text ?? "").split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`No link starting with ${prefix} in: ${mail.text}`);
  return link;
}
