-- name: business_conversations
-- about: seed 001 query 1: a business's 50 most recently active conversations (most common load)
-- role: authenticated as :user_id
-- param: business_id, user_id = sample(
--     SELECT business_id, profile_id FROM business_members
--     ORDER BY business_id, profile_id LIMIT 20000) zipf 1.1
-- expect: uses index conversations_business_last_message_idx
-- expect: no seq scan on conversations
-- target: p95 < 50ms
SELECT *
FROM conversations
WHERE business_id = :business_id
ORDER BY last_message_at DESC
LIMIT 50;
