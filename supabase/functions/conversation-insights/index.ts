// POST {conversation_ids: [uuid, ...]} -> {items: [...], cache_performance: {...}}
// The enrichment function (seed 000's nutrition enrichment, for a messaging app): per
// conversation it aggregates activity, participants and the most used words of recent
// messages, which costs real database and CPU work, and caches each result for CACHE_TTL_MS.
// Visibility is checked per call (cheap, RLS applies), the costly part comes from the cache
// when it can; every response says how many items were hits and misses.
import { asCaller } from "../_shared/db.ts";
import { claimsOf } from "../_shared/auth.ts";
import { error, isUuid, json, jsonBody } from "../_shared/http.ts";

const TTL_MS = Number(Deno.env.get("CACHE_TTL_MS") ?? "60000");
const MAX_ENTRIES = 10_000;
const MAX_IDS = 20;
const RECENT_MESSAGES = 200;
const TOP_WORDS = 5;

interface Insight {
  messages: number;
  participants: number;
  first_message_at: string | null;
  last_message_at: string | null;
  messages_per_day: number;
  top_words: { word: string; count: number }[];
}

const cache = new Map<string, { value: Insight; expires: number }>();
let totalHits = 0;
let totalMisses = 0;

function cached(id: string, now: number): Insight | undefined {
  const entry = cache.get(id);
  if (entry && entry.expires > now) {
    return entry.value;
  }
  cache.delete(id);
  return undefined;
}

function remember(id: string, value: Insight, now: number) {
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value!); // oldest first: Map keeps insertion order
  }
  cache.set(id, { value, expires: now + TTL_MS });
}

function topWords(contents: string[]): { word: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of contents) {
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 3) {
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_WORDS)
    .map(([word, count]) => ({ word, count }));
}

Deno.serve(async (req) => {
  if (req.method !== "POST") {
    return error(405, "use POST");
  }
  const body = await jsonBody(req);
  const ids = body?.conversation_ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_IDS || !ids.every(isUuid)) {
    return error(400, `conversation_ids must be an array of 1..${MAX_IDS} uuids`);
  }
  const now = Date.now();
  let hits = 0;
  let misses = 0;
  const items = await asCaller(claimsOf(req), async (tx) => {
    const visible = new Set(
      (await tx`SELECT id FROM conversations WHERE id = ANY(${ids}::uuid[])`).map((r: { id: string }) => r.id),
    );
    const out = [];
    for (const id of ids as string[]) {
      if (!visible.has(id)) {
        out.push({ conversation_id: id, error: "not_found" });
        continue;
      }
      let insight = cached(id, now);
      const hit = insight !== undefined;
      if (!insight) {
        const [stats] = await tx`
          SELECT count(*)::int AS messages, count(DISTINCT sender_id)::int AS participants,
                 min(created_at) AS first_at, max(created_at) AS last_at
          FROM messages WHERE conversation_id = ${id}`;
        const recent = await tx`
          SELECT content FROM messages WHERE conversation_id = ${id}
          ORDER BY created_at DESC LIMIT ${RECENT_MESSAGES}`;
        const days = stats.first_at
          ? Math.max(1, (new Date(stats.last_at).getTime() - new Date(stats.first_at).getTime()) / 86_400_000)
          : 1;
        insight = {
          messages: stats.messages,
          participants: stats.participants,
          first_message_at: stats.first_at,
          last_message_at: stats.last_at,
          messages_per_day: Math.round((stats.messages / days) * 100) / 100,
          top_words: topWords(recent.map((r: { content: string }) => r.content)),
        };
        remember(id, insight, now);
      }
      hit ? hits++ : misses++;
      out.push({ conversation_id: id, cache: hit ? "hit" : "miss", insights: insight });
    }
    return out;
  });
  totalHits += hits;
  totalMisses += misses;
  return json({
    items,
    cache_performance: {
      hits,
      misses,
      hit_rate: hits + misses === 0 ? 0 : hits / (hits + misses),
      all_hit: misses === 0 && hits > 0,
      lifetime_hits: totalHits,
      lifetime_misses: totalMisses,
      entries: cache.size,
    },
  });
});
