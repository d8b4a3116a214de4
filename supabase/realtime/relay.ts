// critpath's local stand-in for Supabase Realtime, written against Realtime's own source (its
// channel, serializers, postgres_changes poller and broadcast/presence handlers) and judged by the
// official realtime-js client (see the conformance suite in cli's tests). It serves
//
//   GET  /realtime/v1/websocket?apikey=...&vsn=1.0.0|2.0.0   Phoenix channels (protocol.ts)
//   POST /realtime/v1/api/broadcast                           {messages:[{topic,event,payload,private}]}
//   POST /realtime/v1/api/broadcast/<topic>/events/<event>    realtime-js httpSend()
//   GET  /health, GET /stats
//
// Channels (topic "realtime:<name>") carry, as in Realtime:
// - postgres_changes: several bindings per channel, with or without filters, from logical
//   decoding polled on Realtime's cadence, RLS applied per change and subscriber (changes.ts);
// - broadcast: self and ack as configured, binary frames for vsn 2.0.0, private channels
//   authorised by the RLS policies on realtime.messages, and broadcasts from the database:
//   rows realtime.send() / realtime.broadcast_changes() insert into realtime.messages, streamed
//   over a logical replication connection (publication supabase_realtime_messages_publication);
// - presence: track, untrack, presence_state, presence_diff.
// Joins need a JWT signed with the project's secret carrying role and exp; an access_token push
// re-checks the token, and a channel whose token expires is closed with Realtime's system message.
//
// Environment, as for the functions server in ../server: SUPABASE_DB_URL, JWT_SECRET, PORT
// (0 = any free port), HOST (127.0.0.1), EXIT_ON_STDIN_EOF (1 = stop when the parent closes our
// stdin), RELAY_MAX_BUFFERED (bytes, 1 MiB). Once it listens it prints {"event":"listening",...}.
// A database it cannot use (wal_level, privileges, missing publication) is one line on stderr
// naming the cause and the fix, and exit code 2.

import postgres from "postgres";
import { JwtVerifier } from "../server/jwt.ts";
import { ChangeFeed, type Binding, parseFilter, POLL_INTERVAL_MS, PUBLICATION, SLOT_PREFIX } from "./changes.ts";
import {
  decode,
  encode,
  encodeUserBroadcast,
  jsonBroadcast,
  type Message,
  ProtocolError,
  type UserBroadcast,
  type Vsn,
  VSNS,
} from "./protocol.ts";

type Claims = Record<string, unknown> & { role?: string; exp?: number; sub?: string };

const MESSAGES_PUBLICATION = "supabase_realtime_messages_publication";

function env(name: string, fallback?: string): string {
  const v = Deno.env.get(name) ?? fallback;
  if (v === undefined) fail(`${name} is not set`);
  return v!;
}

/** One line naming the cause and the fix, exit 2: the database or the setup is not usable. */
function fail(line: string): never {
  console.error(`critpath relay: ${line}`);
  Deno.exit(2);
}

const DB_URL = env("SUPABASE_DB_URL");
const HOST = env("HOST", "127.0.0.1");
const PORT = Number(env("PORT", "0"));
const MAX_BUFFERED = Number(env("RELAY_MAX_BUFFERED", String(1024 * 1024)));
const jwt = await JwtVerifier.create(env("JWT_SECRET"));

const stats = {
  connections: 0,
  rejectedConnections: 0,
  joins: 0,
  joinErrors: 0,
  protocolErrors: 0,
  broadcasts: 0,
  databaseBroadcasts: 0,
  delivered: 0,
  slowSubscribersDropped: 0,
  heartbeats: 0,
  tokenExpiries: 0,
};

const sql = postgres(DB_URL, {
  max: 4,
  idle_timeout: 0,
  connect_timeout: 10,
  connection: { application_name: "critpath-realtime-relay" },
  onnotice: () => {},
});

// ---- the database: checked once, with one clear line for each way it cannot serve ----

async function prepareDatabase(): Promise<{ slotSql: postgres.ReservedSql; slot: string }> {
  let walLevel: string;
  let user: string;
  try {
    [{ wal_level: walLevel, current_user: user }] = await sql`
      select current_setting('wal_level') as wal_level, current_user`;
  } catch (e) {
    fail(`cannot connect to the database: ${(e as Error).message}`);
  }
  if (walLevel !== "logical") {
    fail(
      `the database has wal_level=${walLevel}; postgres_changes read a logical replication slot: ` +
        `ALTER SYSTEM SET wal_level = logical and restart PostgreSQL (the embedded server has it)`,
    );
  }
  for (const pub of [PUBLICATION, MESSAGES_PUBLICATION]) {
    const [p] = await sql`select 1 from pg_publication where pubname = ${pub}`;
    if (!p) {
      fail(`the database has no publication ${pub}: run critpath's migrations (schema V7) first`);
    }
  }
  // Slots are temporary (they end with our session), but a slot a killed run made persistent or
  // an older critpath left behind keeps WAL forever: name it and drop it.
  for (const old of await sql`select slot_name from pg_replication_slots
      where slot_name like ${SLOT_PREFIX + "%"} and database = current_database()
        and not active and not temporary`) {
    await sql`select pg_drop_replication_slot(${old.slot_name})`;
    console.error(`critpath relay: dropped replication slot ${old.slot_name} left behind by an earlier run`);
  }
  const slot = SLOT_PREFIX + crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  const slotSql = await sql.reserve();
  try {
    await slotSql`select pg_create_logical_replication_slot(${slot}, 'pgoutput', true)`;
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === "42501") {
      fail(
        `role ${user} may not create replication slots (no REPLICATION privilege): ` +
          `ALTER ROLE ${user} WITH REPLICATION, or run critpath as a role that has it`,
      );
    }
    if (err.code === "53400") {
      fail(`all replication slots are in use (${err.message}): drop unused ones or raise max_replication_slots`);
    }
    fail(`cannot create replication slot ${slot}: ${err.message}`);
  }
  return { slotSql, slot };
}

// ---- sockets and channels ----

type Conn = {
  socket: WebSocket;
  vsn: Vsn;
  token: string;
  channels: Map<string, Channel>;
};

type Channel = {
  conn: Conn;
  topic: string; // realtime:<name>
  name: string; // the sub-topic: <name>
  key: string; // public and private channels of one name are different topics
  joinRef: string | null;
  token: string;
  claims: Claims;
  role: string;
  claimsJson: string;
  isPrivate: boolean;
  canWrite: boolean;
  self: boolean;
  ack: boolean;
  presenceKey: string;
  presenceEnabled: boolean;
  tracked: Record<string, unknown> | null;
  bindings: Binding[];
  expiry?: ReturnType<typeof setTimeout>;
  push(event: string, payload: Record<string, unknown>, frameKey: string): void;
};

const byTopic = new Map<string, Set<Channel>>();
const pgChannels = new Set<Channel>();
const conns = new Set<Conn>();
const textFrames = new Map<string, string>(); // per delivery batch: one serialisation per key
let frameGeneration = 0;

function send(conn: Conn, frame: string | Uint8Array) {
  const s = conn.socket;
  if (s.readyState !== WebSocket.OPEN) return;
  if (s.bufferedAmount > MAX_BUFFERED) {
    stats.slowSubscribersDropped++;
    dropConn(conn);
    try {
      s.close(1013, "subscriber is falling behind");
    } catch {
      // already closing
    }
    return;
  }
  s.send(frame);
}

function pushTo(ch: Channel, event: string, payload: Record<string, unknown>, ref: string | null = null) {
  send(ch.conn, encode({ join_ref: ch.joinRef, ref, topic: ch.topic, event, payload }, ch.conn.vsn));
}

function reply(conn: Conn, m: Message, status: "ok" | "error", response: Record<string, unknown>) {
  send(conn, encode({ join_ref: m.join_ref, ref: m.ref, topic: m.topic, event: "phx_reply", payload: { status, response } }, conn.vsn));
}

function systemMessage(ch: Channel, extension: string, status: "ok" | "error", message: string) {
  pushTo(ch, "system", { extension, status, message, channel: ch.name });
}

function newChannel(conn: Conn, m: Message, claims: Claims, token: string): Channel {
  const config = (m.payload.config ?? {}) as Record<string, Record<string, unknown>>;
  const isPrivate = (m.payload.config as Record<string, unknown> | undefined)?.private === true;
  const name = m.topic.replace(/^realtime:/, "");
  const ch: Channel = {
    conn,
    topic: m.topic,
    name,
    key: `${isPrivate ? "private" : "public"}:${name}`,
    joinRef: m.join_ref ?? m.ref,
    token,
    claims,
    role: String(claims.role),
    claimsJson: JSON.stringify(claims),
    isPrivate,
    canWrite: !isPrivate,
    self: config.broadcast?.self === true,
    ack: config.broadcast?.ack === true,
    presenceKey: typeof config.presence?.key === "string" && config.presence.key !== ""
      ? config.presence.key as string
      : crypto.randomUUID(),
    presenceEnabled: config.presence?.enabled === true,
    tracked: null,
    bindings: [],
    push(event, payload, frameKey) {
      // Subscribers with equal keys (topic, bindings, role) get one serialisation.
      const key = `${frameGeneration}|${this.conn.vsn}|${frameKey}`;
      let frame = textFrames.get(key);
      if (frame === undefined) {
        frame = encode({ join_ref: null, ref: null, topic: this.topic, event, payload }, this.conn.vsn);
        textFrames.set(key, frame);
      }
      send(this.conn, frame);
      stats.delivered++;
    },
  };
  return ch;
}

/** Verifies a token as Realtime does at join: signature, then role and exp, then exp itself. */
async function authorize(token: string): Promise<{ claims: Claims } | { error: string }> {
  const claims = await jwt.signed(token.replace(/\s/g, "")) as Claims | null;
  if (!claims) return { error: "JwtSignatureError: Failed to validate JWT signature" };
  if (typeof claims.role !== "string" || typeof claims.exp !== "number") {
    return { error: "Fields `role` and `exp` are required in JWT" };
  }
  const now = Math.floor(Date.now() / 1000);
  if (claims.exp <= now) return { error: `Token has expired ${now - claims.exp} seconds ago` };
  return { claims };
}

/** Private channels: the RLS policies on realtime.messages decide, as in Realtime. */
async function policies(ch: { role: string; claimsJson: string; name: string }): Promise<{ read: boolean; write: boolean }> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', ${ch.role}, true),
                    set_config('request.jwt.claims', ${ch.claimsJson}, true),
                    set_config('realtime.topic', ${ch.name}, true)`;
    await tx`savepoint probe`;
    let write = true;
    try {
      await tx`insert into realtime.messages (topic, extension, event, private) values (${ch.name}, 'broadcast', 'critpath_probe', true)`;
    } catch {
      write = false;
    }
    await tx`rollback to savepoint probe`;
    await tx`select set_config('role', 'none', true)`;
    await tx`insert into realtime.messages (topic, extension, event, private) values (${ch.name}, 'broadcast', 'critpath_probe', true)`;
    await tx`select set_config('role', ${ch.role}, true)`;
    const [{ read }] = await tx`select exists (select 1 from realtime.messages
                                  where topic = ${ch.name} and extension = 'broadcast') as read`;
    throw new Rollback({ read, write });
  }).catch((e) => {
    if (e instanceof Rollback) return e.result;
    throw e;
  });
}

class Rollback extends Error {
  constructor(readonly result: { read: boolean; write: boolean }) {
    super("rollback");
  }
}

let nextBindingId = 1;
const bindingIds = new Map<string, number>(); // equal bindings share an id, as in realtime-js's view

async function join(conn: Conn, m: Message) {
  const token = typeof m.payload.access_token === "string" ? m.payload.access_token : conn.token;
  const auth = await authorize(token);
  if ("error" in auth) {
    stats.joinErrors++;
    return reply(conn, m, "error", { reason: auth.error });
  }
  const ch = newChannel(conn, m, auth.claims, token);
  if (ch.isPrivate) {
    try {
      const p = await policies(ch);
      if (!p.read) {
        stats.joinErrors++;
        return reply(conn, m, "error", {
          reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${ch.name}`,
        });
      }
      ch.canWrite = p.write;
    } catch (e) {
      stats.joinErrors++;
      return reply(conn, m, "error", { reason: `Realtime was unable to connect to the project database: ${(e as Error).message}` });
    }
  }
  const config = (m.payload.config ?? {}) as Record<string, unknown>;
  const requested = (Array.isArray(config.postgres_changes) ? config.postgres_changes : []) as Record<string, string>[];
  const echoed: Record<string, unknown>[] = [];
  let invalid: string | null = null;
  for (const p of requested) {
    const filter = p.filter ? parseFilter(p.filter) : null;
    if (p.filter && !filter) invalid = `invalid filter ${p.filter}`;
    const raw = JSON.stringify([p.event, p.schema, p.table ?? null, p.filter ?? null]);
    let id = bindingIds.get(raw);
    if (id === undefined) bindingIds.set(raw, id = nextBindingId++);
    ch.bindings.push({
      id,
      event: String(p.event ?? "*").toUpperCase(),
      schema: p.schema ?? "public",
      table: p.table ?? null,
      filter,
    });
    echoed.push({ ...p, id });
  }
  const old = conn.channels.get(ch.topic);
  if (old) closeChannel(old, false);
  conn.channels.set(ch.topic, ch);
  let peers = byTopic.get(ch.key);
  if (!peers) byTopic.set(ch.key, peers = new Set());
  peers.add(ch);
  stats.joins++;
  reply(conn, m, "ok", { postgres_changes: echoed });
  if (ch.bindings.length > 0) {
    if (invalid) {
      ch.bindings = [];
      systemMessage(ch, "postgres_changes", "error", `Unable to subscribe to changes with given parameters: ${invalid}`);
    } else {
      pgChannels.add(ch);
      systemMessage(ch, "postgres_changes", "ok", "Subscribed to PostgreSQL");
    }
  }
  if (ch.presenceEnabled) pushTo(ch, "presence_state", presenceState(ch.key));
  scheduleExpiry(ch);
}

/** When the token expires the channel is shut down, as Realtime's confirm_token does. */
function scheduleExpiry(ch: Channel) {
  clearTimeout(ch.expiry);
  const ms = Number(ch.claims.exp) * 1000 - Date.now();
  ch.expiry = setTimeout(() => {
    stats.tokenExpiries++;
    shutdown(ch, `Token has expired ${Math.max(0, Math.floor(Date.now() / 1000) - Number(ch.claims.exp))} seconds ago`);
  }, Math.max(0, ms));
}

/** Realtime's shutdown_response: a system error naming the cause, then phx_close. */
function shutdown(ch: Channel, message: string) {
  systemMessage(ch, "system", "error", message);
  closeChannel(ch, true);
}

function closeChannel(ch: Channel, sendClose: boolean) {
  clearTimeout(ch.expiry);
  if (ch.conn.channels.get(ch.topic) === ch) ch.conn.channels.delete(ch.topic);
  byTopic.get(ch.key)?.delete(ch);
  pgChannels.delete(ch);
  if (ch.tracked) presenceLeave(ch);
  if (sendClose) pushTo(ch, "phx_close", {});
}

async function refreshToken(ch: Channel, token: unknown) {
  if (typeof token !== "string" || token === ch.token || token.startsWith("sb_")) return;
  const auth = await authorize(token);
  if ("error" in auth) return shutdown(ch, auth.error);
  ch.token = token;
  ch.claims = auth.claims;
  ch.role = String(auth.claims.role);
  ch.claimsJson = JSON.stringify(auth.claims);
  if (ch.isPrivate) {
    const p = await policies(ch);
    if (!p.read) {
      return shutdown(ch, `You no longer have permission to read from this Channel topic: ${ch.name}`);
    }
    ch.canWrite = p.write;
  }
  scheduleExpiry(ch);
}

// ---- broadcast ----

type Outgoing = { user: UserBroadcast } | { text: Record<string, unknown> };

function fanOut(key: string, out: Outgoing, from: Channel | null) {
  const peers = byTopic.get(key);
  if (!peers) return;
  stats.broadcasts++;
  const frames = new Map<Vsn, string | Uint8Array>();
  for (const ch of peers) {
    if (ch === from && !ch.self) continue;
    let frame = frames.get(ch.conn.vsn);
    if (frame === undefined) {
      const topic = `realtime:${ch.name}`;
      frame = "user" in out
        ? encodeUserBroadcast({ ...out.user, topic }, ch.conn.vsn)
        : encode({ join_ref: null, ref: null, topic, event: "broadcast", payload: out.text }, ch.conn.vsn);
      frames.set(ch.conn.vsn, frame);
    }
    send(ch.conn, frame);
    stats.delivered++;
  }
}

function clientBroadcast(ch: Channel, m: Message, user?: UserBroadcast) {
  if (!ch.canWrite) return; // Realtime drops writes the policies forbid, without a reply
  fanOut(ch.key, user ? { user } : { text: m.payload }, ch);
  if (ch.ack) reply(ch.conn, m, "ok", {});
}

/** Broadcasts from realtime.messages (realtime.send, realtime.broadcast_changes). */
async function streamDatabaseBroadcasts() {
  const stream = postgres(DB_URL, {
    publications: MESSAGES_PUBLICATION,
    connection: { application_name: "critpath-realtime-broadcast" },
    onnotice: () => {},
  });
  try {
    await stream.subscribe("insert:realtime.messages", (row) => {
      if (!row || row.extension !== "broadcast") return;
      stats.databaseBroadcasts++;
      const key = `${row.private ? "private" : "public"}:${row.topic}`;
      fanOut(key, { user: jsonBroadcast(row.topic, row.event, row.payload, { id: row.id }) }, null);
    });
  } catch (e) {
    fail(`cannot stream realtime.messages over a replication connection (${(e as Error).message}): ` +
      `the database role needs the REPLICATION privilege and pg_hba.conf a replication entry`);
  }
  return stream;
}

// ---- presence ----

function presenceState(key: string): Record<string, unknown> {
  const state: Record<string, { metas: unknown[] }> = {};
  for (const ch of byTopic.get(key) ?? []) {
    if (ch.tracked) (state[ch.presenceKey] ??= { metas: [] }).metas.push(ch.tracked);
  }
  return state;
}

function presenceDiff(ch: Channel, joins: Record<string, unknown>, leaves: Record<string, unknown>) {
  for (const peer of byTopic.get(ch.key) ?? []) {
    pushTo(peer, "presence_diff", { joins, leaves });
  }
}

function presenceLeave(ch: Channel) {
  const left = ch.tracked;
  ch.tracked = null;
  presenceDiff(ch, {}, { [ch.presenceKey]: { metas: [left] } });
}

function presence(ch: Channel, m: Message) {
  const event = String(m.payload.event ?? "").toLowerCase();
  if (event === "track") {
    const payload = m.payload.payload ?? {};
    if (typeof payload !== "object" || Array.isArray(payload)) {
      return reply(ch.conn, m, "error", { reason: "Presence track payload must be a map" });
    }
    const previous = ch.tracked;
    ch.tracked = { ...(payload as Record<string, unknown>), phx_ref: crypto.randomUUID() };
    ch.presenceEnabled = true;
    presenceDiff(
      ch,
      { [ch.presenceKey]: { metas: [ch.tracked] } },
      previous ? { [ch.presenceKey]: { metas: [previous] } } : {},
    );
    return reply(ch.conn, m, "ok", {});
  }
  if (event === "untrack") {
    if (ch.tracked) presenceLeave(ch);
    return reply(ch.conn, m, "ok", {});
  }
  reply(ch.conn, m, "error", { reason: `unknown presence event ${event}` });
}

// ---- socket messages ----

function onMessage(conn: Conn, data: string | ArrayBuffer) {
  let message: Message;
  let user: UserBroadcast | undefined;
  try {
    ({ message, userBroadcast: user } = decode(data, conn.vsn));
  } catch (e) {
    stats.protocolErrors++;
    const why = e instanceof ProtocolError ? e.message : String(e);
    conn.socket.close(1003, `invalid message for vsn ${conn.vsn}: ${why}`.slice(0, 120));
    return;
  }
  const m = message;
  if (m.topic === "phoenix" && m.event === "heartbeat") {
    stats.heartbeats++;
    return reply(conn, m, "ok", {});
  }
  if (m.event === "phx_join") {
    join(conn, m).catch((e) => reply(conn, m, "error", { reason: String(e) }));
    return;
  }
  const ch = conn.channels.get(m.topic);
  if (!ch) {
    // Phoenix answers a push to a topic the socket has not joined like this
    return send(conn, encode({ join_ref: m.join_ref, ref: m.ref, topic: m.topic, event: "phx_reply", payload: { status: "error", response: { reason: "unmatched topic" } } }, conn.vsn));
  }
  switch (m.event) {
    case "phx_leave":
      reply(conn, m, "ok", {});
      return closeChannel(ch, true);
    case "access_token":
      refreshToken(ch, m.payload.access_token).catch((e) => shutdown(ch, String(e)));
      return;
    case "broadcast":
      return clientBroadcast(ch, m, user);
    case "presence":
      return presence(ch, m);
    default:
      return; // Realtime ignores unexpected events (it logs them)
  }
}

function dropConn(conn: Conn) {
  for (const ch of [...conn.channels.values()]) closeChannel(ch, false);
  conns.delete(conn);
}

// ---- HTTP broadcast ----

async function httpBroadcast(req: Request, url: URL): Promise<Response> {
  const bearer = req.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  const token = bearer || req.headers.get("apikey") || url.searchParams.get("apikey") || "";
  const auth = await authorize(token);
  if ("error" in auth) return Response.json({ message: auth.error }, { status: 401 });
  const role = String(auth.claims.role);
  const claimsJson = JSON.stringify(auth.claims);
  type Item = { topic: string; event: string; payload: unknown; private?: boolean };
  let items: Item[];
  const path = /^\/realtime\/v1\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(url.pathname);
  try {
    items = path
      ? [{
        topic: decodeURIComponent(path[1]),
        event: decodeURIComponent(path[2]),
        payload: await req.json(),
        private: url.searchParams.get("private") === "true",
      }]
      : (await req.json()).messages;
    if (!Array.isArray(items)) throw new Error();
  } catch {
    return Response.json({ message: "expected {messages: [{topic, event, payload}]}" }, { status: 400 });
  }
  for (const item of items) {
    const name = String(item.topic).replace(/^realtime:/, "");
    if (item.private && !(await policies({ role, claimsJson, name })).write) continue;
    fanOut(`${item.private ? "private" : "public"}:${name}`, {
      text: { type: "broadcast", event: item.event, payload: item.payload },
    }, null);
  }
  return new Response(null, { status: 202 });
}

// ---- start ----

const { slotSql, slot } = await prepareDatabase();
const feed = new ChangeFeed(slotSql, sql, slot, () => {
  frameGeneration++;
  textFrames.clear();
  return pgChannels.values();
});
const broadcastStream = await streamDatabaseBroadcasts();
feed.start();
await Promise.all(Array.from({ length: 3 }, () => sql`select 1`)); // open the pool before joins

const server = Deno.serve({
  hostname: HOST,
  port: PORT,
  onListen: ({ port }) =>
    console.log(JSON.stringify({ event: "listening", port, slot, pollIntervalMs: POLL_INTERVAL_MS })),
}, async (req) => {
  const url = new URL(req.url);
  if (url.pathname === "/health") return Response.json({ ok: true });
  if (url.pathname === "/stats") {
    return Response.json({ ...stats, openSockets: conns.size, postgresChanges: feed.stats, slot });
  }
  if (req.method === "POST" && url.pathname.startsWith("/realtime/v1/api/broadcast")) {
    return await httpBroadcast(req, url);
  }
  if (url.pathname !== "/realtime/v1/websocket") return new Response("not found", { status: 404 });
  stats.connections++;
  const vsn = url.searchParams.get("vsn") ?? "1.0.0";
  if (!(VSNS as readonly string[]).includes(vsn)) {
    stats.rejectedConnections++;
    return Response.json({ message: `unsupported vsn ${vsn}: use 1.0.0 or 2.0.0` }, { status: 400 });
  }
  const token = url.searchParams.get("apikey") ?? req.headers.get("apikey") ?? "";
  if (!(await jwt.signed(token))) {
    stats.rejectedConnections++;
    return Response.json({ message: "Invalid API key" }, { status: 401 });
  }
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("expected a WebSocket upgrade", { status: 426 });
  }
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.binaryType = "arraybuffer";
  const conn: Conn = { socket, vsn: vsn as Vsn, token, channels: new Map() };
  conns.add(conn);
  socket.onmessage = (e) => onMessage(conn, e.data);
  socket.onclose = () => dropConn(conn);
  socket.onerror = () => dropConn(conn);
  return response;
});

async function stop() {
  feed.stop();
  await server.shutdown().catch(() => {});
  // Dropping the slot explicitly; it is temporary too, so a killed relay's slot ends with its session.
  await slotSql`select pg_drop_replication_slot(${slot})`.catch(() => {});
  slotSql.release();
  await broadcastStream.end({ timeout: 1 }).catch(() => {});
  await sql.end({ timeout: 1 }).catch(() => {});
  Deno.exit(0);
}

Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);
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
    await stop();
  })();
}
