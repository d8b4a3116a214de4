-- name: channel_analytics
-- about: seed 001 query 4: a business's messages and conversations per channel, last 30 days
-- role: authenticated as :user_id
-- param: business_id, user_id = sample(
--     SELECT business_id, profile_id FROM business_members
--     ORDER BY business_id, profile_id LIMIT 20000) zipf 1.1
-- expect: uses index messages_business_created_idx
-- expect: no seq scan on messages
-- target: p95 < 1s
SELECT channel,
       count(*) AS message_count,
       count(DISTINCT conversation_id) AS conversation_count
FROM messages
WHERE business_id = :business_id
  AND created_at > now() - interval '30 days'
GROUP BY channel;
