// Supabase's own JavaScript clients against a Supabase endpoint: critpath's local stand-ins
// (started by cli's SupabaseConformanceTest) or a real project. Run with `node --test` and
//   SUPABASE_URL         the project's base URL (functions at /functions/v1, realtime at /realtime/v1)
//   SUPABASE_ANON_KEY    its anon key
//   SUPABASE_JWT_SECRET  its JWT secret: user tokens are minted for the suite's own users
//   SUPABASE_DB_URL      its database: the suite's rows are made there and removed after
// Without them every test is skipped, saying which variables are missing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { createClient } from "@supabase/supabase-js";
import postgres from "postgres";
import WebSocket from "ws";

const REQUIRED = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_JWT_SECRET", "SUPABASE_DB_URL"];
const missing = REQUIRED.filter((n) => !process.env[n]);
const skip = missing.length > 0 ? `skipped: set ${missing.join(", ")} (a real project or the local stand-ins)` : false;
const env = process.env;
const WAIT_MS = 10_000;

const b64url = (b) => Buffer.from(b).toString("base64url");
function token(claims) {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", env.SUPABASE_JWT_SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}
const now = () => Math.floor(Date.now() / 1000);
const userToken = (id, ttl = 3600) =>
  token({ sub: id, role: "authenticated", aud: "authenticated", iat: now(), exp: now() + ttl });

function client(accessToken, realtime = {}) {
  return createClient(env.SUPABASE_URL, env.SUPABASE_ANON_KEY, {
    accessToken: async () => accessToken,
    realtime: { transport: WebSocket, ...realtime }, // Node 20 has no global WebSocket
  });
}

/** Resolves with the first value `register` hands to its callback, or rejects after WAIT_MS. */
function first(what, register) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

function subscribed(channel) {
  return first(`${channel.topic} to subscribe`, (done) =>
    channel.subscribe((status, err) => {
      if (status === "SUBSCRIBED") done(status);
      else if (status !== "CLOSED") done(Promise.reject(new Error(`${status}: ${err?.message}`)));
    })).then((v) => v);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("Supabase's clients against the endpoint", { skip }, () => {
  let sql;
  const A = { business: randomUUID(), user: randomUUID(), conversation: randomUUID() };
  const B = { business: randomUUID(), user: randomUUID(), conversation: randomUUID() };
  const clients = [];
  // The token goes to Realtime before any join, as an app does once it has a session: with only
  // the accessToken option a channel subscribed at once joins with the anon key.
  const make = async (t, opts) => {
    const c = client(t, opts);
    clients.push(c);
    await c.realtime.setAuth(t);
    return c;
  };

  before(async () => {
    sql = postgres(env.SUPABASE_DB_URL, { max: 2, onnotice: () => {} });
    for (const x of [A, B]) {
      await sql`insert into businesses (id, name, plan) values (${x.business}, ${"conformance " + x.business}, 'pro')`;
      await sql`insert into profiles (id, business_id, username, full_name, email)
                values (${x.user}, ${x.business}, ${"cf-" + x.user}, 'conformance', ${x.user + "@critpath.invalid"})`;
      await sql`insert into business_members (business_id, profile_id, role) values (${x.business}, ${x.user}, 'agent')`;
      await sql`insert into conversations (id, business_id, kind, channel, title, participants)
                values (${x.conversation}, ${x.business}, 'group', 'app', 'conformance', ${sql.array([x.user])}::uuid[])`;
      await sql`insert into conversation_participants (conversation_id, profile_id) values (${x.conversation}, ${x.user})`;
    }
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.removeAllChannels()));
    for (const c of clients) c.realtime.disconnect();
    await sql`drop table if exists critpath_conformance_notes`;
    for (const x of [A, B]) {
      await sql`delete from conversations where business_id = ${x.business}`;
      await sql`delete from business_members where business_id = ${x.business}`;
      await sql`delete from profiles where business_id = ${x.business}`;
      await sql`delete from businesses where id = ${x.business}`;
    }
    await sql.end();
  });

  const insertMessage = async (x, content) => {
    const id = randomUUID();
    await sql`insert into messages (id, conversation_id, business_id, sender_id, content)
              values (${id}, ${x.conversation}, ${x.business}, ${x.user}, ${content})`;
    return id;
  };

  describe("functions", () => {
    const dir = new URL("../functions/", import.meta.url);
    const names = readdirSync(dir).filter((n) =>
      !n.startsWith("_") && !n.startsWith(".") && n !== "node_modules" &&
      statSync(new URL(n, dir)).isDirectory()
    );
    // What each function needs to answer 200; a function without an entry gets an empty POST and
    // must answer without a gateway or server error.
    const calls = {
      "send-message": () => ({ body: { conversation_id: A.conversation, content: "conformance" } }),
      "conversation-list": () => ({ method: "GET" }),
      "conversation-insights": () => ({ body: { conversation_ids: [A.conversation] } }),
      "redeem-voucher": () => ({ body: { code: "NO-SUCH-CODE", station_id: randomUUID() }, status: 404 }),
      "upload": () => ({ body: new Blob([new Uint8Array(1024)]), query: `?conversation_id=${A.conversation}` }),
    };

    for (const name of names) {
      test(`functions.invoke('${name}')`, async () => {
        const supabase = await make(userToken(A.user));
        const call = calls[name]?.() ?? { body: {} };
        const { data, error, response } = await supabase.functions.invoke(name + (call.query ?? ""), {
          method: call.method ?? "POST",
          body: call.body,
        });
        const status = response?.status ?? error?.context?.status;
        if (calls[name]) {
          const expected = call.status ?? 200;
          assert.ok(status === expected, `${name} answered ${status} (${error?.message}), expected ${expected}`);
          assert.ok(expected !== 200 || data, `${name} answered no body`);
        } else {
          assert.ok(status !== 404 && status < 500, `${name} answered ${status}`);
        }
        assert.equal(response?.headers.get("access-control-allow-origin") ?? error?.context?.headers?.get("access-control-allow-origin"), "*");
      });
    }

    test("CORS preflight is answered without a JWT", async () => {
      const r = await fetch(`${env.SUPABASE_URL}/functions/v1/send-message`, {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, x-client-info, apikey, content-type" },
      });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("access-control-allow-origin"), "*");
      assert.match(r.headers.get("access-control-allow-headers") ?? "", /authorization/);
      await r.body?.cancel();
    });
  });

  describe("realtime", () => {
    test("postgres_changes: default vsn, several bindings, full rows, commit time", async () => {
      const supabase = await make(userToken(A.user));
      assert.equal(supabase.realtime.vsn, "2.0.0");
      const got = { INSERT: [], UPDATE: [], DELETE: [] };
      const ch = supabase.channel(`changes-${randomUUID()}`)
        .on("postgres_changes", { event: "INSERT", schema: "public", table: "messages", filter: `conversation_id=eq.${A.conversation}` }, (p) => got.INSERT.push(p))
        .on("postgres_changes", { event: "UPDATE", schema: "public", table: "messages" }, (p) => got.UPDATE.push(p))
        .on("postgres_changes", { event: "DELETE", schema: "public", table: "messages" }, (p) => got.DELETE.push(p));
      await subscribed(ch);
      await sleep(500); // Realtime subscribes to the database after the join reply
      const before = Date.now();
      // One at a time: like Realtime, the relay checks visibility by reading the row when it polls,
      // so an INSERT whose row is deleted before the poll reaches nobody.
      const id = await insertMessage(A, "first");
      const seen = (kind, pick) => async () => {
        for (let i = 0; i < 100 && !got[kind].some((p) => pick(p) === id); i++) await sleep(50);
      };
      await seen("INSERT", (p) => p.new.id)();
      await sql`update messages set content = 'edited' where id = ${id}`;
      await seen("UPDATE", (p) => p.new.id)();
      await sql`delete from messages where id = ${id}`;
      await seen("DELETE", (p) => p.old.id)();
      const ins = got.INSERT.find((p) => p.new.id === id);
      assert.ok(ins, "INSERT not delivered");
      assert.deepEqual(Object.keys(ins.new).sort(),
        ["business_id", "channel", "client_id", "content", "conversation_id", "created_at", "id", "kind", "search", "sender_id"]);
      assert.equal(ins.new.content, "first");
      assert.equal(ins.schema, "public");
      assert.equal(ins.table, "messages");
      const committed = Date.parse(ins.commit_timestamp);
      assert.ok(committed >= before - 2000 && committed <= Date.now(), `commit_timestamp ${ins.commit_timestamp}`);
      assert.equal(got.UPDATE.find((p) => p.new.id === id)?.new.content, "edited");
      assert.equal(got.DELETE.find((p) => p.old.id === id)?.eventType, "DELETE");
    });

    test("RLS per change: a member of another business receives nothing of A's", async () => {
      const other = await make(userToken(B.user));
      const got = [];
      const ch = other.channel(`rls-${randomUUID()}`)
        .on("postgres_changes", { event: "*", schema: "public", table: "messages" }, (p) => got.push(p));
      await subscribed(ch);
      await sleep(500);
      const hidden = await insertMessage(A, "for A only");
      await sql`update messages set content = 'still A only' where id = ${hidden}`;
      const own = await insertMessage(B, "for B");
      for (let i = 0; i < 100 && !got.some((p) => p.new?.id === own); i++) await sleep(100);
      assert.ok(got.some((p) => p.new?.id === own), "B's own message was not delivered");
      assert.ok(!got.some((p) => p.new?.id === hidden), "B received A's message");
    });

    test("broadcast: self and ack", async () => {
      const topic = `room-${randomUUID()}`;
      const alice = await make(userToken(A.user));
      const bob = await make(userToken(B.user));
      const mine = [], theirs = [];
      const a = alice.channel(topic, { config: { broadcast: { self: true, ack: true } } })
        .on("broadcast", { event: "hello" }, (m) => mine.push(m));
      const b = bob.channel(topic).on("broadcast", { event: "hello" }, (m) => theirs.push(m));
      await subscribed(a);
      await subscribed(b);
      assert.equal(await a.send({ type: "broadcast", event: "hello", payload: { n: 1 } }), "ok");
      for (let i = 0; i < 50 && (mine.length === 0 || theirs.length === 0); i++) await sleep(100);
      assert.deepEqual(mine.map((m) => m.payload), [{ n: 1 }]);
      assert.deepEqual(theirs.map((m) => m.payload), [{ n: 1 }]);
      await b.send({ type: "broadcast", event: "hello", payload: { n: 2 } });
      for (let i = 0; i < 50 && mine.length < 2; i++) await sleep(100);
      assert.equal(theirs.length, 1, "self: false still echoed to the sender");
      assert.deepEqual(mine.at(-1).payload, { n: 2 });
    });

    test("broadcast over HTTP (httpSend)", async () => {
      const topic = `http-${randomUUID()}`;
      const listener = await make(userToken(A.user));
      const got = [];
      const ch = listener.channel(topic).on("broadcast", { event: "ping" }, (m) => got.push(m));
      await subscribed(ch);
      const sender = await make(userToken(B.user));
      const result = await sender.channel(topic).httpSend("ping", { via: "http" });
      assert.deepEqual(result, { success: true });
      for (let i = 0; i < 50 && got.length === 0; i++) await sleep(100);
      assert.deepEqual(got.map((m) => m.payload), [{ via: "http" }]);
    });

    test("broadcast over HTTP (POST /realtime/v1/api/broadcast, the REST fallback of send())", async () => {
      const topic = `rest-${randomUUID()}`;
      const listener = await make(userToken(A.user));
      const got = [];
      const ch = listener.channel(topic).on("broadcast", { event: "pong" }, (m) => got.push(m));
      await subscribed(ch);
      const r = await fetch(`${env.SUPABASE_URL}/realtime/v1/api/broadcast`, {
        method: "POST",
        headers: { apikey: env.SUPABASE_ANON_KEY, authorization: `Bearer ${userToken(B.user)}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ topic, event: "pong", payload: { via: "rest" } }] }),
      });
      assert.equal(r.status, 202);
      await r.body?.cancel();
      for (let i = 0; i < 50 && got.length === 0; i++) await sleep(100);
      assert.deepEqual(got.map((m) => m.payload), [{ via: "rest" }]);
    });

    test("presence: track, sync, untrack", async () => {
      const topic = `presence-${randomUUID()}`;
      const a = (await make(userToken(A.user))).channel(topic, { config: { presence: { key: "alice" } } });
      const b = (await make(userToken(B.user))).channel(topic, { config: { presence: { key: "bob" } } });
      const left = [];
      a.on("presence", { event: "sync" }, () => {}).on("presence", { event: "leave" }, (e) => left.push(e.key));
      b.on("presence", { event: "sync" }, () => {});
      await subscribed(a);
      await subscribed(b);
      assert.equal(await a.track({ name: "alice" }), "ok");
      assert.equal(await b.track({ name: "bob" }), "ok");
      for (let i = 0; i < 50 && Object.keys(a.presenceState()).length < 2; i++) await sleep(100);
      assert.deepEqual(Object.keys(a.presenceState()).sort(), ["alice", "bob"]);
      assert.equal(a.presenceState().bob[0].name, "bob");
      await b.untrack();
      for (let i = 0; i < 50 && !left.includes("bob"); i++) await sleep(100);
      assert.deepEqual(Object.keys(a.presenceState()), ["alice"]);
    });

    test("an expiring token closes the channel with Realtime's system message", async () => {
      const supabase = await make(userToken(A.user, 3));
      const system = [];
      const ch = supabase.channel(`expiry-${randomUUID()}`).on("system", {}, (m) => system.push(m));
      const closed = first("the channel to close", (done) => ch.subscribe((s) => s === "CLOSED" && done(s)));
      await closed;
      const expired = system.find((m) => m.status === "error");
      assert.ok(expired, `no system error, got ${JSON.stringify(system)}`);
      assert.match(expired.message, /^Token has expired \d+ seconds ago$/);
    });

    test("an access_token refresh is checked and keeps the channel past the first token's expiry", async () => {
      const supabase = await make(userToken(A.user, 3));
      const system = [];
      const ch = supabase.channel(`refresh-${randomUUID()}`).on("system", {}, (m) => system.push(m));
      await subscribed(ch);
      await supabase.realtime.setAuth(userToken(A.user, 3600)); // pushes access_token to the channel
      await sleep(4500);
      assert.deepEqual(system.filter((m) => m.status === "error"), []);
      assert.equal(ch.state, "joined");
      await supabase.realtime.setAuth(token({ sub: A.user, role: "authenticated" })); // no exp
      for (let i = 0; i < 50 && ch.state === "joined"; i++) await sleep(100);
      assert.match(system.at(-1)?.message ?? "", /Fields `role` and `exp` are required in JWT/);
      assert.equal(ch.state, "closed");
    });

    test("a join without exp is refused", async () => {
      const supabase = await make(token({ sub: A.user, role: "authenticated" }));
      const ch = supabase.channel(`noexp-${randomUUID()}`);
      const err = await first("the join to fail", (done) => ch.subscribe((s, e) => s === "CHANNEL_ERROR" && done(e)));
      assert.match(err.message, /Fields `role` and `exp` are required in JWT/);
    });

    test("broadcast from the database: a trigger calling realtime.broadcast_changes, private channel", async () => {
      await sql`create table critpath_conformance_notes (id uuid primary key, conversation_id uuid not null, body text)`;
      await sql`create or replace function critpath_conformance_notes_broadcast() returns trigger
                language plpgsql security definer as $$
                begin
                  perform realtime.broadcast_changes('conversation:' || new.conversation_id, tg_op, tg_op,
                                                     tg_table_name, tg_table_schema, new, old);
                  return null;
                end $$`;
      await sql`create trigger critpath_conformance_notes_broadcast after insert on critpath_conformance_notes
                for each row execute function critpath_conformance_notes_broadcast()`;
      const topic = `conversation:${A.conversation}`;
      const member = await make(userToken(A.user));
      const got = [];
      const ch = member.channel(topic, { config: { private: true } })
        .on("broadcast", { event: "INSERT" }, (m) => got.push(m));
      await subscribed(ch);
      const stranger = (await make(userToken(B.user))).channel(topic, { config: { private: true } });
      const refused = await first("the stranger's join to fail", (done) => stranger.subscribe((s, e) => s === "CHANNEL_ERROR" && done(e)));
      assert.match(refused.message, /Unauthorized/);
      const id = randomUUID();
      await sql`insert into critpath_conformance_notes values (${id}, ${A.conversation}, 'from a trigger')`;
      for (let i = 0; i < 50 && got.length === 0; i++) await sleep(100);
      assert.equal(got.length, 1);
      assert.equal(got[0].payload.record.id, id);
      assert.equal(got[0].payload.operation, "INSERT");
      assert.equal(got[0].payload.table, "critpath_conformance_notes");
    });

    test("vsn 1.0.0 on request", async () => {
      const supabase = await make(userToken(A.user), { vsn: "1.0.0" });
      assert.equal(supabase.realtime.vsn, "1.0.0");
      const got = [];
      const topic = `v1-${randomUUID()}`;
      const ch = supabase.channel(topic, { config: { broadcast: { self: true, ack: true } } })
        .on("broadcast", { event: "e" }, (m) => got.push(m));
      await subscribed(ch);
      assert.equal(await ch.send({ type: "broadcast", event: "e", payload: { v: 1 } }), "ok");
      for (let i = 0; i < 50 && got.length === 0; i++) await sleep(100);
      assert.deepEqual(got.map((m) => m.payload), [{ v: 1 }]);
    });
  });
});
