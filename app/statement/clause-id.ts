// Clause ids must be unique and stable; crypto.randomUUID is missing on plain-http LAN origins
// (not a secure context), so ids are built from getRandomValues, which is available everywhere.
const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

export function newClauseId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let id = "c";
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}
