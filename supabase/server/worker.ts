// One function's isolate. Functions follow Supabase's convention and call Deno.serve(handler)
// at load; here Deno.serve only captures the handler, and requests arrive as messages from the
// local gateway (main.ts), like Supabase's edge runtime running each function in its own worker.
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { verifiedClaims } from "../functions/_shared/auth.ts";

type Handler = (req: Request, info: unknown) => Response | Promise<Response>;

let handler: Handler | null = null;

Object.defineProperty(Deno, "serve", {
  configurable: true,
  value: (first: unknown, second?: unknown) => {
    const options = first as { handler?: Handler };
    handler = typeof first === "function"
      ? (first as Handler)
      : typeof second === "function"
      ? (second as Handler)
      : options.handler ?? null;
    return {
      finished: new Promise(() => {}),
      shutdown: () => Promise.resolve(),
      ref() {},
      unref() {},
      addr: { transport: "tcp", hostname: "127.0.0.1", port: 0 },
    };
  },
});

interface Call {
  type: "request";
  id: number;
  url: string;
  method: string;
  headers: [string, string][];
  claims: Record<string, unknown> & { role: string };
  body: ArrayBuffer | null;
}

const post = (message: unknown, transfer: Transferable[] = []) => self.postMessage(message, transfer);

const INFO = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 0 } };

self.onmessage = async (event: MessageEvent) => {
  const msg = event.data;
  if (msg.type === "load") {
    try {
      await import(msg.module);
      if (!handler) {
        throw new Error(`${msg.module} did not call Deno.serve`);
      }
      post({ type: "ready" });
    } catch (e) {
      post({ type: "boot-error", message: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  if (msg.type === "pool-waiting") {
    // functions that never touched the database have no pool: nobody waits
    const peak = (globalThis as { critpathPoolWaiting?: () => number }).critpathPoolWaiting;
    post({ type: "pool-waiting", id: msg.id, waiting: peak ? peak() : 0 });
    return;
  }
  const call = msg as Call;
  const started = performance.now();
  let response: Response;
  try {
    const request = new Request(call.url, { method: call.method, headers: call.headers, body: call.body });
    verifiedClaims.set(request, call.claims);
    response = await handler!(request, INFO);
  } catch (e) {
    console.error(`function error: ${e instanceof Error ? e.stack ?? e.message : e}`);
    response = new Response(JSON.stringify({ error: "internal error" }), {
      status: 500,
      headers: { "content-type": "application/json" },
    });
  }
  const body = await response.arrayBuffer();
  post({
    type: "response",
    id: call.id,
    status: response.status,
    headers: [...response.headers],
    body,
    functionMs: performance.now() - started,
  }, [body]);
};
