-- name: message_search_ilike
-- about: message_search written with ILIKE '%term%' (trigram index) instead of full text
-- role: authenticated as :user_id
-- param: user_id = id(user) zipf 1.1
-- param: term = term()
-- expect: uses index messages_content_trgm_idx or messages_business_created_idx when messages >= 100000 rows
-- expect: no seq scan on messages when messages >= 100000 rows
-- target: p95 < 200ms (seed 002, Success Metrics: Message Search, query time < 200ms)
--
-- Either index is right: a common term in a big business is found fastest by reading its
-- newest messages and filtering, a rare one through the search index; the planner picks.
SELECT id, conversation_id, sender_id, content, created_at
FROM messages
WHERE content ILIKE '%' || :term || '%'
ORDER BY created_at DESC
LIMIT 50;
