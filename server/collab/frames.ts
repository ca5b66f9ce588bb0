/**
 * WebSocket frames as a server sends them (RFC 6455 §5.2: final, binary, unmasked), made once per
 * message: a broadcast sends the same messages to every peer, and framing them for each socket (as
 * `ws` does, a header and the payload written together) cost more than the messages themselves.
 * The frame of several messages sent together is one buffer, written with one system call.
 */
const framed = new WeakMap<Uint8Array, Buffer>();
/** The frames of messages sent together, by the first of them. */
const framedTogether = new WeakMap<Uint8Array, { messages: readonly Uint8Array[]; frames: Buffer }>();

function frame(message: Uint8Array): Buffer {
  const length = message.byteLength;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headerLength + length);
  out[0] = 0x82;
  if (length < 126) {
    out[1] = length;
  } else if (length < 65536) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(length), 2);
  }
  out.set(message, headerLength);
  return out;
}

/** The frame of a message, made the first time it is sent. */
function frameOnce(message: Uint8Array): Buffer {
  let f = framed.get(message);
  if (!f) framed.set(message, (f = frame(message)));
  return f;
}

/** The frames of messages sent together, in order, as one buffer: made once for the same messages sent to many. */
export function framesOf(messages: readonly Uint8Array[]): Buffer {
  if (messages.length === 1) return frameOnce(messages[0]);
  const cached = framedTogether.get(messages[0]);
  if (cached && cached.messages.length === messages.length && cached.messages.every((m, i) => m === messages[i])) return cached.frames;
  const frames = Buffer.concat(messages.map(frameOnce));
  framedTogether.set(messages[0], { messages: [...messages], frames });
  return frames;
}
