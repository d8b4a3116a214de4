// The local functions server: one Deno process serving every function in ../functions at
// /functions/v1/<name>, as `supabase functions serve` does. It verifies the caller's JWT like
// Supabase's gateway (HS256, 401 when missing, invalid or expired), then hands the request to
// the function's own worker isolate. A function is loaded on its first call after start or
// after FUNCTION_IDLE_MS without calls, so cold starts are real; responses that paid for one
// carry `x-critpath-cold-start: true`, and every response a Server-Timing header.
//
// Like `supabase start`, it is the project's one base URL: /realtime/v1/* (the WebSocket and the
// HTTP broadcast endpoint) is passed through to the realtime relay at REALTIME_URL when that is
// set, as Supabase's API gateway passes it to Realtime. CORS as the Supabase CLI serves functions:
// a preflight (OPTIONS) is answered without a JWT and every response carries Access-Control-Allow-*.
//
// Environment: SUPABASE_DB_URL (for the functions), JWT_SECRET, PORT (0 = any free port),
// REALTIME_URL (http://host:port of supabase/realtime/relay.ts; unset = no /realtime/v1),
// HOST (127.0.0.1), FUNCTION_IDLE_MS (60000), MAX_BODY_BYTES (8 MiB), EXIT_ON_STDIN_EOF (1 = stop
// when the parent closes our stdin, so the server never outlives the toolkit that started it).
import { JwtVerifier } from "./jwt.ts";

const FUNCTIONS_DIR = new URL("../functions/", import.meta.url);
const WORKER = new URL("./worker.ts", import.meta.url);
const IDLE_MS = Number(Deno.env.get("FUNCTION_IDLE_MS") ?? "60000");
const MAX_BODY_BYTES = Number(Deno.env.get("MAX_BODY_BYTES") ?? String(8 * 1024 * 1024));
// How long a function has to say how many waited for its database pool (critpath's sampler).
const POOL_ASK_TIMEOUT_MS = 500;
const ROUTE = /^\/functions\/v1\/([A-Za-z0-9_-]+)(?:\/.*)?$/;
const REALTIME_URL = Deno.env.get("REALTIME_URL");
// The headers supabase-js sends; the CLI's functions answer preflights with these.
const CORS: [string, string][] = [
  ["access-control-allow-origin", "*"],
  ["access-control-allow-headers", "authorization, x-client-info, apikey, content-type, x-region"],
  ["access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS"],
];

const secret = Deno.env.get("JWT_SECRET");
if (!secret) {
  console.error("JWT_SECRET is not set");
  Deno.exit(2);
}
const verifier = await JwtVerifier.create(secret);

function discoverFunctions(): Set<string> {
  const names = new Set<string>();
  for (const entry of Deno.readDirSync(FUNCTIONS_DIR)) {
    if (entry.isDirectory && !entry.name.startsWith("_") && !entry.name.startsWith(".") &&
      entry.name !== "node_modules") {
      try {
        Deno.statSync(new URL(`${entry.name}/index.ts`, FUNCTIONS_DIR));
        names.add(entry.name);
      } catch {
        // not a function folder
      }
    }
  }
  return names;
}
const FUNCTIONS = discoverFunctions();

interface Reply {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  functionMs: number;
}

/** A function loaded into its own isolate. */
class FunctionWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly poolAsks = new Map<number, (waiting: number) => void>();
  private nextId = 1;
  readonly ready: Promise<void>;
  bootMs = 0;
  isReady = false;
  inFlight = 0;
  lastUsed = performance.now();

  constructor(readonly name: string, onDeath: (w: FunctionWorker) => void) {
    const started = performance.now();
    this.worker = new Worker(WORKER, { type: "module", name });
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent) => {
        const msg = event.data;
        if (msg.type === "ready") {
          this.bootMs = performance.now() - started;
          this.isReady = true;
          resolve();
        } else if (msg.type === "boot-error") {
          reject(new Error(msg.message));
        } else if (msg.type === "response") {
          const done = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          done?.(msg as Reply);
        } else if (msg.type === "pool-waiting") {
          const done = this.poolAsks.get(msg.id);
          this.poolAsks.delete(msg.id);
          done?.(msg.waiting as number);
        }
      };
      this.worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        console.error(`function ${name} crashed: ${event.message}`);
        reject(new Error(event.message));
        for (const done of this.pending.values()) {
          done({ status: 502, headers: [["content-type", "application/json"]], body: errorBody("function crashed"), functionMs: 0 });
        }
        this.pending.clear();
        onDeath(this);
      };
    });
    this.worker.postMessage({ type: "load", module: new URL(`${name}/index.ts`, FUNCTIONS_DIR).href });
  }

  call(message: Record<string, unknown>, body: ArrayBuffer | null): Promise<Reply> {
    const id = this.nextId++;
    this.inFlight++;
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ ...message, type: "request", id, body }, body ? [body] : []);
    }).finally(() => {
      this.inFlight--;
      this.lastUsed = performance.now();
    });
  }

  /** The most requests that waited for one of this function's database connections lately. */
  poolWaiting(): Promise<number> {
    const id = this.nextId++;
    return new Promise<number>((resolve) => {
      this.poolAsks.set(id, resolve);
      this.worker.postMessage({ type: "pool-waiting", id });
      // a worker that died or was unloaded meanwhile never answers: unknown, not zero
      setTimeout(() => this.poolAsks.delete(id) && resolve(NaN), POOL_ASK_TIMEOUT_MS);
    });
  }

  terminate() {
    this.worker.terminate();
  }
}

const workers = new Map<string, FunctionWorker>();

function workerFor(name: string): FunctionWorker {
  let worker = workers.get(name);
  if (!worker) {
    worker = new FunctionWorker(name, (dead) => {
      if (workers.get(name) === dead) workers.delete(name);
    });
    workers.set(name, worker);
  }
  return worker;
}

// Unload idle functions: their next call is a cold start again.
setInterval(() => {
  const now = performance.now();
  for (const [name, worker] of workers) {
    if (worker.isReady && worker.inFlight === 0 && now - worker.lastUsed > IDLE_MS) {
      workers.delete(name);
      worker.terminate();
    }
  }
}, Math.max(50, Math.min(1000, IDLE_MS / 4)));

function errorBody(message: string): ArrayBuffer {
  return new TextEncoder().encode(JSON.stringify({ error: message })).buffer as ArrayBuffer;
}

function gatewayError(status: number, message: string): Response {
  return new Response(JSON.stringify({ code: status, message }), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** Adds the CORS headers a response lacks (a function that sets its own keeps them). */
function withCors(response: Response): Response {
  if (response.status === 101) {
    return response; // a WebSocket upgrade's headers are not ours to change
  }
  for (const [name, value] of CORS) {
    if (!response.headers.has(name)) {
      response.headers.set(name, value);
    }
  }
  return response;
}

const mutable = (r: Response) => new Response(r.body, { status: r.status, headers: r.headers });

/** /realtime/v1/*: the relay's WebSocket piped frame by frame, or its HTTP endpoints proxied. */
async function realtime(req: Request, url: URL): Promise<Response> {
  if (!REALTIME_URL) {
    return gatewayError(404, "no realtime server behind this gateway (REALTIME_URL is not set)");
  }
  const target = new URL(url.pathname + url.search, REALTIME_URL);
  if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return mutable(await fetch(target, { method: req.method, headers: req.headers, body: req.body }));
  }
  target.protocol = target.protocol === "https:" ? "wss:" : "ws:";
  const upstream = new WebSocket(target);
  upstream.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    upstream.onopen = () => resolve();
    upstream.onerror = () => reject(new Error("realtime relay refused the WebSocket"));
  }).catch(async () => {
    // the relay answers a bad apikey or vsn over HTTP: pass that answer on
    upstream.close();
    throw mutable(await fetch(target.href.replace(/^ws/, "http"), { headers: req.headers }));
  });
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (e) => upstream.readyState === WebSocket.OPEN && upstream.send(e.data);
  upstream.onmessage = (e) => socket.readyState === WebSocket.OPEN && socket.send(e.data);
  // A WebSocket may only be closed with 1000 or 3000-4999: other codes (1013 for a subscriber
  // falling behind) pass on as 1000 with their reason.
  const closeBoth = (code: number, reason: string) => {
    const passable = code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000;
    for (const s of [socket, upstream]) {
      if (s.readyState === WebSocket.OPEN) {
        s.close(passable, reason);
      }
    }
  };
  socket.onclose = (e) => closeBoth(e.code, e.reason);
  upstream.onclose = (e) => closeBoth(e.code, e.reason);
  return response;
}

async function handle(req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname === "/_critpath/health") {
    return new Response("ok");
  }
  if (url.pathname === "/_critpath/pool-waiting") {
    // summed over the loaded functions: each has a pool of its own (DB_POOL_MAX connections)
    const ready = [...workers.values()].filter((w) => w.isReady);
    const counts = await Promise.all(ready.map((w) => w.poolWaiting()));
    const waiting = counts.reduce((a, b) => a + b, 0);
    if (Number.isNaN(waiting)) {
      return gatewayError(503, "a function did not say how many waited for its pool");
    }
    return new Response(JSON.stringify({ waiting, functions: ready.length }), {
      headers: { "content-type": "application/json" },
    });
  }
  if (url.pathname.startsWith("/realtime/v1/")) {
    return await realtime(req, url).catch((refused) => {
      if (refused instanceof Response) return refused;
      throw refused;
    });
  }
  if (req.method === "OPTIONS") {
    return new Response("ok"); // preflight: no JWT, as the CLI serves functions
  }
  const route = ROUTE.exec(url.pathname);
  if (!route || !FUNCTIONS.has(route[1])) {
    return gatewayError(404, "Requested function was not found");
  }
  const name = route[1];
  const verdict = await verifier.verify(req.headers.get("authorization"));
  if (!verdict.ok) {
    return gatewayError(401, verdict.message);
  }
  if (Number(req.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) {
    return gatewayError(413, "Request body too large");
  }
  const body = req.method === "GET" || req.method === "HEAD" ? null : await req.arrayBuffer();
  if (body && body.byteLength > MAX_BODY_BYTES) {
    return gatewayError(413, "Request body too large");
  }
  const worker = workerFor(name);
  const cold = !worker.isReady;
  try {
    await worker.ready;
  } catch (e) {
    workers.delete(name);
    console.error(`function ${name} failed to boot: ${e instanceof Error ? e.message : e}`);
    return gatewayError(500, "Function failed to boot");
  }
  const reply = await worker.call({
    url: req.url,
    method: req.method,
    headers: [...req.headers],
    claims: verdict.claims,
  }, body);
  const headers = new Headers(reply.headers);
  const timing = [`fn;dur=${reply.functionMs.toFixed(2)}`];
  if (cold) {
    timing.unshift(`boot;dur=${worker.bootMs.toFixed(2)}`);
    headers.set("x-critpath-cold-start", "true");
  }
  headers.append("server-timing", timing.join(", "));
  return new Response(req.method === "HEAD" ? null : reply.body, { status: reply.status, headers });
}

if (Deno.env.get("EXIT_ON_STDIN_EOF") === "1") {
  (async () => {
    const buffer = new Uint8Array(256);
    while ((await Deno.stdin.read(buffer)) !== null) {
      // the parent never writes; EOF means it is gone
    }
    Deno.exit(0);
  })();
}

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT") ?? "0"),
  onListen: ({ port }) => console.log(JSON.stringify({ event: "listening", port })),
}, async (req) => {
  try {
    return withCors(await handle(req));
  } catch (e) {
    console.error(`gateway error: ${e instanceof Error ? e.stack ?? e.message : e}`);
    return withCors(gatewayError(500, "Internal gateway error"));
  }
});
