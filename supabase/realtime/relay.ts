// critpath's local stand-in for Supabase Realtime.
//
// It LISTENs on the database for the notifications send_message raises at commit
// (channel critpath_messages: {id, conversation_id, sender_id, created_at}) and relays each
// one to the WebSocket subscribers of that conversation, speaking the Phoenix channel
// protocol Supabase Realtime speaks (vsn 1.0.0, JSON objects):
//
//   client  {topic:"realtime:<name>", event:"phx_join", ref, join_ref,
//            payload:{config:{postgres_changes:[{event:"INSERT", schema:"public",
//            table:"messages", filter:"conversation_id=eq.<uuid>"}], ...}, access_token}}
//   server  {event:"phx_reply", payload:{status:"ok", response:{postgres_changes:[{id,...}]}}}
//   server  {event:"postgres_changes", payload:{ids:[id], data:{schema, table, type:"INSERT",
//            commit_timestamp, columns, record, errors:null}}}
//
// or, for private channels named realtime:conversation:<uuid> without postgres_changes, the
// shape of Supabase's "broadcast from the database": {event:"broadcast", payload:{type:
// "broadcast", event:"INSERT", payload:{id, operation, schema, table, record, old_record}}}.
// Heartbeats (topic "phoenix"), phx_leave and client broadcasts are answered as Supabase does.
//
// Like the API gateway, it refuses a connection whose apikey is not a JWT signed with the
// project's secret, and a join whose access_token is invalid or expired. Authorisation is
// checked once per join with the caller's claims under RLS (the conversation must be visible
// to the user); Supabase re-checks RLS for every change, which costs it more per message.
// A subscriber whose socket buffers more than RELAY_MAX_BUFFERED bytes is falling
// behind: it is disconnected (close code 1013) and counted, never allowed to grow without bound.
// GET /stats answers the counters below as JSON; GET /health answers {"ok":true}.
//
// Environment, named as for the functions server in ../server: SUPABASE_DB_URL, JWT_SECRET,
// PORT (0 = any free port), HOST (127.0.0.1), EXIT_ON_STDIN_EOF (1 = stop when the parent closes
// our stdin), plus RELAY_CHANNEL (critpath_messages) and RELAY_MAX_BUFFERED (bytes, 1 MiB).
// Once it listens on the database and on its port it prints {"event":"listening","port":N}.

import postgres from "postgres";

type Claims = {
  sub?: string;
  role?: string;
  exp?: number;
  [k: string]: unknown;
};
type Kind = "postgres_changes" | "broadcast";
type Sub = {
  socket: WebSocket;
  topic: string;
  joinRef: string | null;
  kind: Kind;
  id: number;
  conversation: string;
  frameKey: string; // subscribers with equal keys get byte-identical frames
};
type Message = {
  topic?: string;
  event?: string;
  payload?: Record<string, unknown>;
  ref?: string | null;
  join_ref?: string | null;
};

const env = (name: string, fallback?: string): string => {
  const v = Deno.env.get(name) ?? fallback;
  if (v === undefined) {
    console.error(`critpath relay: ${name} is not set`);
    Deno.exit(2);
  }
  return v;
};

const DB_URL = env("SUPABASE_DB_URL");
const SECRET = env("JWT_SECRET");
const HOST = env("HOST", "127.0.0.1");
const PORT = Number(env("PORT", "0"));
const CHANNEL = env("RELAY_CHANNEL", "critpath_messages");
const MAX_BUFFERED = Number(env("RELAY_MAX_BUFFERED", String(1024 * 1024)));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = [
  { name: "id", type: "uuid" },
  { name: "conversation_id", type: "uuid" },
  { name: "sender_id", type: "uuid" },
  { name: "created_at", type: "timestamptz" },
];

const stats = {
  connections: 0,
  rejectedConnections: 0,
  openSockets: 0,
  joins: 0,
  joinErrors: 0,
  protocolErrors: 0,
  notifications: 0,
  delivered: 0,
  slowSubscribersDropped: 0,
  heartbeats: 0,
};

const sql = postgres(DB_URL, {
  max: 4,
  idle_timeout: 0,
  connect_timeout: 10,
  connection: { application_name: "critpath-realtime-relay" },
  onnotice: () => {},
});

// ---- JWT (HS256), verified with WebCrypto ----

const encoder = new TextEncoder();
const hmacKey = await crypto.subtle.importKey(
  "raw",
  encoder.encode(SECRET),
  { name: "HMAC", hash: "SHA-256" },
  false,
  ["verify"],
);

function base64UrlDecode(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") +
    "===".slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function verifyJwt(
  token: string | null | undefined,
): Promise<Claims | null> {
  if (!token) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(
      new TextDecoder().decode(base64UrlDecode(parts[0])),
    );
    if (header.alg !== "HS256") return null;
    const ok = await crypto.subtle.verify(
      "HMAC",
      hmacKey,
      base64UrlDecode(parts[2]),
      encoder.encode(parts[0] + "." + parts[1]),
    );
    if (!ok) return null;
    const claims = JSON.parse(
      new TextDecoder().decode(base64UrlDecode(parts[1])),
    ) as Claims;
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) {
      return null;
    }
    return claims;
  } catch {
    return null;
  }
}

// ---- subscriptions ----

const byConversation = new Map<string, Set<Sub>>();
const bySocket = new Map<WebSocket, Set<Sub>>();

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100_000_000;
}

function addSub(sub: Sub) {
  let subs = byConversation.get(sub.conversation);
  if (!subs) byConversation.set(sub.conversation, subs = new Set());
  subs.add(sub);
  let mine = bySocket.get(sub.socket);
  if (!mine) bySocket.set(sub.socket, mine = new Set());
  mine.add(sub);
}

function removeSub(sub: Sub) {
  byConversation.get(sub.conversation)?.delete(sub);
  bySocket.get(sub.socket)?.delete(sub);
}

function dropSocket(socket: WebSocket) {
  for (const sub of bySocket.get(socket) ?? []) {
    byConversation.get(sub.conversation)?.delete(sub);
  }
  bySocket.delete(socket);
}

function send(socket: WebSocket, msg: Message) {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

function reply(
  socket: WebSocket,
  m: Message,
  status: "ok" | "error",
  response: unknown,
) {
  send(socket, {
    topic: m.topic,
    event: "phx_reply",
    payload: { status, response },
    ref: m.ref ?? null,
    join_ref: m.join_ref ?? null,
  });
}

async function visibleTo(
  claims: Claims,
  conversation: string,
): Promise<boolean> {
  const role = claims.role === "service_role"
    ? "service_role"
    : "authenticated";
  const rows = await sql.begin(async (tx) => {
    await tx`select set_config('role', ${role}, true),
                    set_config('request.jwt.claims', ${
      JSON.stringify(claims)
    }, true)`;
    return await tx`select 1 from conversations where id = ${conversation}`;
  });
  return rows.length > 0;
}

async function join(socket: WebSocket, m: Message, apikeyClaims: Claims) {
  const payload = m.payload ?? {};
  const token = typeof payload.access_token === "string"
    ? payload.access_token
    : null;
  const claims = token ? await verifyJwt(token) : apikeyClaims;
  const fail = (reason: string) => {
    stats.joinErrors++;
    reply(socket, m, "error", { reason });
  };
  if (!claims) return fail("invalid or expired access_token");
  if (claims.role !== "authenticated" && claims.role !== "service_role") {
    return fail(`role ${claims.role} may not read messages`);
  }
  const config = (payload.config ?? {}) as Record<string, unknown>;
  const changes = (config.postgres_changes ?? []) as Record<string, string>[];
  const topic = m.topic ?? "";
  let kind: Kind;
  let conversation: string;
  let filter: Record<string, string> | null = null;
  if (changes.length > 0) {
    if (changes.length !== 1) {
      return fail(
        "the critpath relay takes one postgres_changes binding per channel",
      );
    }
    filter = changes[0];
    const match = /^conversation_id=eq\.(.+)$/.exec(filter.filter ?? "");
    if (
      filter.schema !== "public" || filter.table !== "messages" || !match ||
      !(filter.event === "INSERT" || filter.event === "*")
    ) {
      return fail(
        "the critpath relay serves INSERT on public.messages with filter conversation_id=eq.<uuid>",
      );
    }
    kind = "postgres_changes";
    conversation = match[1];
  } else {
    const match = /^realtime:conversation:(.+)$/.exec(topic);
    if (!match) {
      return fail("broadcast topics are realtime:conversation:<uuid>");
    }
    kind = "broadcast";
    conversation = match[1];
  }
  if (!UUID.test(conversation)) {
    return fail(`not a conversation id: ${conversation}`);
  }
  let allowed: boolean;
  try {
    allowed = await visibleTo(claims, conversation);
  } catch (e) {
    return fail(`authorisation query failed: ${(e as Error).message}`);
  }
  if (!allowed) {
    return fail("unauthorized: conversation not visible to this user");
  }
  // Supabase derives the binding id from the filter, so equal filters share an id.
  const id = filter
    ? fnv1a(
      JSON.stringify([
        filter.event,
        filter.schema,
        filter.table,
        filter.filter,
      ]),
    )
    : 0;
  for (const old of bySocket.get(socket) ?? []) {
    if (old.topic === topic) removeSub(old);
  }
  addSub({
    socket,
    topic,
    joinRef: m.join_ref ?? m.ref ?? null,
    kind,
    id,
    conversation,
    frameKey: `${kind}|${topic}|${id}`,
  });
  stats.joins++;
  reply(
    socket,
    m,
    "ok",
    filter ? { postgres_changes: [{ id, ...filter }] } : {},
  );
  if (filter) {
    send(socket, {
      topic,
      event: "system",
      payload: {
        channel: topic.replace(/^realtime:/, ""),
        extension: "postgres_changes",
        message: "Subscribed to PostgreSQL",
        status: "ok",
      },
      ref: null,
    });
  }
}

function onClientMessage(
  socket: WebSocket,
  raw: unknown,
  apikeyClaims: Claims,
) {
  let m: Message;
  try {
    m = JSON.parse(String(raw));
    if (typeof m !== "object" || m === null || typeof m.event !== "string") {
      throw new Error();
    }
  } catch {
    stats.protocolErrors++;
    socket.close(1003, "invalid message: expected a JSON Phoenix frame");
    return;
  }
  switch (m.event) {
    case "heartbeat":
      stats.heartbeats++;
      return reply(socket, m, "ok", {});
    case "phx_join":
      join(socket, m, apikeyClaims).catch((e) =>
        reply(socket, m, "error", { reason: String(e) })
      );
      return;
    case "phx_leave":
      for (const sub of bySocket.get(socket) ?? []) {
        if (sub.topic === m.topic) removeSub(sub);
      }
      return reply(socket, m, "ok", {});
    case "access_token":
      return;
    case "broadcast": {
      const subs = [...(bySocket.get(socket) ?? [])].filter((s) =>
        s.topic === m.topic
      );
      if (subs.length === 0) {
        return reply(socket, m, "error", { reason: "join the topic first" });
      }
      for (const other of byConversation.get(subs[0].conversation) ?? []) {
        if (other.socket !== socket && other.topic === m.topic) {
          send(other.socket, {
            topic: m.topic,
            event: "broadcast",
            payload: m.payload,
            ref: null,
          });
        }
      }
      return;
    }
    default:
      stats.protocolErrors++;
      return reply(socket, m, "error", { reason: `unknown event ${m.event}` });
  }
}

// ---- database notifications to subscribers ----

function relay(text: string) {
  stats.notifications++;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text);
  } catch {
    return;
  }
  const subs = byConversation.get(String(record.conversation_id));
  if (!subs || subs.size === 0) return;
  const commitTimestamp = new Date().toISOString();
  const frames = new Map<string, string>(); // one serialisation per (topic, kind, id)
  for (const sub of [...subs]) {
    const key = sub.frameKey;
    let frame = frames.get(key);
    if (frame === undefined) {
      frame = JSON.stringify(
        sub.kind === "postgres_changes"
          ? {
            topic: sub.topic,
            event: "postgres_changes",
            payload: {
              ids: [sub.id],
              data: {
                schema: "public",
                table: "messages",
                commit_timestamp: commitTimestamp,
                type: "INSERT",
                columns: COLUMNS,
                record,
                errors: null,
              },
            },
            ref: null,
          }
          : {
            topic: sub.topic,
            event: "broadcast",
            payload: {
              type: "broadcast",
              event: "INSERT",
              payload: {
                id: record.id,
                operation: "INSERT",
                schema: "public",
                table: "messages",
                record,
                old_record: null,
              },
            },
            ref: null,
          },
      );
      frames.set(key, frame);
    }
    if (sub.socket.readyState !== WebSocket.OPEN) continue;
    if (sub.socket.bufferedAmount > MAX_BUFFERED) {
      stats.slowSubscribersDropped++;
      dropSocket(sub.socket);
      try {
        sub.socket.close(1013, "subscriber is falling behind");
      } catch {
        // already closing
      }
      continue;
    }
    sub.socket.send(frame);
    stats.delivered++;
  }
}

await sql.listen(CHANNEL, relay);
// Open the query connections now, so the first joins do not pay for their authentication.
await Promise.all(Array.from({ length: 4 }, () => sql`select 1`));

// ---- HTTP + WebSocket endpoint ----

const server = Deno.serve(
  {
    hostname: HOST,
    port: PORT,
    onListen: ({ port }) =>
      console.log(JSON.stringify({ event: "listening", port })),
  },
  async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/health") return Response.json({ ok: true });
    if (url.pathname === "/stats") {
      return Response.json({ ...stats, openSockets: bySocket.size });
    }
    if (url.pathname !== "/realtime/v1/websocket") {
      return new Response("not found", { status: 404 });
    }
    stats.connections++;
    const apikey = url.searchParams.get("apikey") ?? req.headers.get("apikey");
    const apikeyClaims = await verifyJwt(apikey);
    if (!apikeyClaims) {
      stats.rejectedConnections++;
      return Response.json({ message: "Invalid API key" }, { status: 401 });
    }
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = (e) => onClientMessage(socket, e.data, apikeyClaims);
    socket.onclose = () => dropSocket(socket);
    socket.onerror = () => dropSocket(socket);
    return response;
  },
);

// Exit with the parent: it holds our stdin open for as long as it wants us.
if (Deno.env.get("EXIT_ON_STDIN_EOF") === "1") {
  (async () => {
    const buf = new Uint8Array(256);
    try {
      while ((await Deno.stdin.read(buf)) !== null) {
        // nothing to read; we only wait for EOF
      }
    } catch {
      // stdin gone
    }
    await server.shutdown().catch(() => {});
    await sql.end({ timeout: 1 }).catch(() => {});
    Deno.exit(0);
  })();
}
