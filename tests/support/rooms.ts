import { afterEach, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./db";
import { postgresStore } from "../../server/collab/store";
import { statementModel } from "../../server/collab/document-models";
import { Room, type Peer, type RoomOptions } from "../../server/collab/room";

/**
 * Rooms opened directly on a test database, without a WebSocket, for a test file: each destroyed
 * after its test, once what it received is stored.
 */
export function testRooms() {
  let db: TestDatabase;
  const rooms: Room[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const room of rooms.splice(0)) {
      await room.drain();
      room.destroy();
    }
  });
  return {
    get db() {
      return db;
    },
    /** A statement's room, loaded. */
    async open(documentId: string, options: Partial<RoomOptions> = {}): Promise<Room> {
      const room = new Room(documentId, postgresStore(db.sql), {
        compactAfter: 1000,
        log: () => {},
        loadModel: async () => statementModel,
        maxHeldBytes: 1 << 20,
        ...options,
      });
      rooms.push(room);
      await room.ready;
      return room;
    },
  };
}

/** A peer that records each call of send (the messages given together) and each close. */
export function recordingPeer(
  owner: string,
  canWrite = false,
): Peer & { writes: Uint8Array[][]; closes: { code: number; reason: string }[] } {
  const writes: Uint8Array[][] = [];
  const closes: { code: number; reason: string }[] = [];
  return {
    canWrite,
    owner,
    identity: { name: `Person ${owner}`, color: "#123456", role: "delegate", delegation: null },
    writes,
    closes,
    send: (...messages) => void writes.push(messages),
    close: (code, reason) => void closes.push({ code, reason }),
  };
}
