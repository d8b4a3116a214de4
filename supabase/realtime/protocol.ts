// The two wire formats of Phoenix channels as Supabase Realtime speaks them, chosen per socket by
// the `vsn` query parameter (as Realtime's endpoint does):
//   1.0.0  text frames, JSON objects {topic, event, payload, ref}
//   2.0.0  text frames, JSON arrays [join_ref, ref, topic, event, payload], plus binary frames
//          for user broadcasts: the client pushes kind 3 (userBroadcastPush), the server fans out
//          kind 4 (userBroadcast). Layouts as in Realtime's V2 serializer and realtime-js.

export const VSNS = ["1.0.0", "2.0.0"] as const;
export type Vsn = (typeof VSNS)[number];

export type Message = {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: Record<string, unknown>;
};

/** A user broadcast as received in a kind 3 frame: its payload stays as bytes. */
export type UserBroadcast = {
  topic: string;
  event: string;
  /** 0 = binary, 1 = JSON */
  encoding: number;
  body: Uint8Array;
  metadata: Record<string, unknown> | null;
};

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;
export const JSON_ENCODING = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ProtocolError extends Error {}

export function decode(
  data: string | ArrayBuffer,
  vsn: Vsn,
): { message: Message; userBroadcast?: UserBroadcast } {
  if (typeof data !== "string") {
    if (vsn !== "2.0.0") throw new ProtocolError("binary frames need vsn 2.0.0");
    return decodeUserBroadcastPush(new Uint8Array(data));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ProtocolError("not JSON");
  }
  if (vsn === "2.0.0") {
    if (!Array.isArray(parsed) || parsed.length !== 5) {
      throw new ProtocolError("vsn 2.0.0 expects [join_ref, ref, topic, event, payload]");
    }
    const [join_ref, ref, topic, event, payload] = parsed;
    return { message: checked({ join_ref, ref, topic, event, payload }) };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ProtocolError("vsn 1.0.0 expects {topic, event, payload, ref}");
  }
  const m = parsed as Record<string, unknown>;
  return {
    message: checked({
      join_ref: (m.join_ref ?? null) as string | null,
      ref: (m.ref ?? null) as string | null,
      topic: m.topic as string,
      event: m.event as string,
      payload: m.payload as Record<string, unknown>,
    }),
  };
}

function checked(m: Message): Message {
  if (typeof m.topic !== "string" || typeof m.event !== "string") {
    throw new ProtocolError("topic and event must be strings");
  }
  if (typeof m.payload !== "object" || m.payload === null || Array.isArray(m.payload)) {
    throw new ProtocolError("payload must be an object");
  }
  return m;
}

// kind(1) join_ref_size ref_size topic_size event_size metadata_size encoding, then the strings
function decodeUserBroadcastPush(b: Uint8Array): { message: Message; userBroadcast: UserBroadcast } {
  if (b.length < 7 || b[0] !== USER_BROADCAST_PUSH) {
    throw new ProtocolError(`unknown binary frame kind ${b[0]}`);
  }
  const sizes = [b[1], b[2], b[3], b[4], b[5]];
  const encoding = b[6];
  let at = 7;
  const [joinRef, ref, topic, event, meta] = sizes.map((n) => {
    const s = decoder.decode(b.subarray(at, at + n));
    at += n;
    return s;
  });
  if (at > b.length) throw new ProtocolError("truncated binary frame");
  const body = b.slice(at);
  const metadata = meta === "" ? null : JSON.parse(meta);
  const payload: Record<string, unknown> = { type: "broadcast", event };
  return {
    message: { join_ref: joinRef || null, ref: ref || null, topic, event: "broadcast", payload },
    userBroadcast: { topic, event, encoding, body, metadata },
  };
}

export function encode(m: Message, vsn: Vsn): string {
  return vsn === "2.0.0"
    ? JSON.stringify([m.join_ref, m.ref, m.topic, m.event, m.payload])
    : JSON.stringify({ topic: m.topic, event: m.event, payload: m.payload, ref: m.ref });
}

/** A user broadcast as the server fans it out: kind 4 for vsn 2.0.0, a JSON broadcast for 1.0.0. */
export function encodeUserBroadcast(u: UserBroadcast, vsn: Vsn): string | Uint8Array {
  if (vsn === "1.0.0") {
    const payload: Record<string, unknown> = {
      type: "broadcast",
      event: u.event,
      payload: u.encoding === JSON_ENCODING ? JSON.parse(decoder.decode(u.body)) : [...u.body],
    };
    if (u.metadata) payload.meta = u.metadata;
    return encode({ join_ref: null, ref: null, topic: u.topic, event: "broadcast", payload }, vsn);
  }
  const topic = encoder.encode(u.topic);
  const event = encoder.encode(u.event);
  const meta = encoder.encode(u.metadata ? JSON.stringify(u.metadata) : "");
  const out = new Uint8Array(5 + topic.length + event.length + meta.length + u.body.length);
  out.set([USER_BROADCAST, topic.length, event.length, meta.length, u.encoding]);
  let at = 5;
  for (const part of [topic, event, meta, u.body]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A JSON user broadcast (from HTTP or the database) in the shape of a kind 3 push. */
export function jsonBroadcast(
  topic: string,
  event: string,
  payload: unknown,
  metadata: Record<string, unknown> | null = null,
): UserBroadcast {
  return { topic, event, encoding: JSON_ENCODING, body: encoder.encode(JSON.stringify(payload)), metadata };
}
