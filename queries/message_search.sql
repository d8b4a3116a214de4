-- name: message_search
-- about: full-text search over the messages the user may read, newest 50 (search_messages, seed 002)
-- role: authenticated as :user_id
-- param: user_id = id(user) zipf 1.1
-- param: term = term()
-- expect: uses index messages_search_idx or messages_business_created_idx when messages >= 100000 rows
-- expect: no seq scan on messages when messages >= 100000 rows
-- target: p95 < 200ms (seed 002, Success Metrics: Message Search, query time < 200ms)
--
-- search_messages() is SECURITY INVOKER, so RLS scopes it; with RLS off it searches every
-- business's messages. message_search_ilike is the same search with ILIKE.
--
-- Either index is right: a common term in a big business is found fastest by reading its
-- newest messages and filtering, a rare one through the search index; the planner picks.
SELECT id, conversation_id, sender_id, content, created_at, rank
FROM search_messages(:term, 50);
