-- name: business_message_search
-- about: seed 001 query 3: ILIKE search in one business's messages (expensive)
-- role: authenticated as :user_id
-- param: business_id, user_id = sample(
--     SELECT business_id, profile_id FROM business_members
--     ORDER BY business_id, profile_id LIMIT 20000) zipf 1.1
-- param: term = term()
-- expect: uses index messages_content_trgm_idx or messages_business_created_idx
-- target: p95 < 500ms
--
-- Either index is right: a common term in a big business is found fastest by reading its
-- newest messages and filtering, a rare one through the search index; the planner picks.
SELECT id, conversation_id, sender_id, content, created_at
FROM messages
WHERE business_id = :business_id
  AND content ILIKE '%' || :term || '%'
LIMIT 50;
