-- critpath reference workload, part 2: multi-business messaging
-- (seed 002's messaging story, seed 001's multi-business load plan).

SET LOCAL search_path = public, extensions;

CREATE TABLE businesses (
  id         uuid PRIMARY KEY,
  name       text NOT NULL,
  plan       text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Supabase keeps users in auth.users; profiles stand alone here so the schema
-- also works on plain PostgreSQL and never writes into Supabase's auth schema.
CREATE TABLE profiles (
  id          uuid PRIMARY KEY,
  business_id uuid NOT NULL REFERENCES businesses (id),
  username    text NOT NULL UNIQUE,
  full_name   text NOT NULL,
  email       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_business_id_idx ON profiles (business_id);

-- Which businesses a user acts for (agents may serve several).
CREATE TABLE business_members (
  business_id uuid NOT NULL REFERENCES businesses (id),
  profile_id  uuid NOT NULL REFERENCES profiles (id),
  role        text NOT NULL DEFAULT 'agent' CHECK (role IN ('owner', 'admin', 'agent')),
  PRIMARY KEY (business_id, profile_id)
);
CREATE INDEX business_members_profile_id_idx ON business_members (profile_id);

CREATE TABLE conversations (
  id                   uuid PRIMARY KEY,
  business_id          uuid NOT NULL REFERENCES businesses (id),
  kind                 text NOT NULL DEFAULT 'direct' CHECK (kind IN ('direct', 'group')),
  channel              text NOT NULL DEFAULT 'app' CHECK (channel IN ('app', 'whatsapp', 'sms', 'email', 'web')),
  title                text,
  participants         uuid[] NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  last_message_at      timestamptz,
  last_message_preview text
);
-- Seed 001's query 1: a business's inbox ordered by activity.
CREATE INDEX conversations_business_last_message_idx ON conversations (business_id, last_message_at DESC);
CREATE INDEX conversations_participants_idx ON conversations USING gin (participants);

-- Per-participant read state: the tuned unread count reads one row per
-- conversation instead of joining receipts (the naive form below).
CREATE TABLE conversation_participants (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  profile_id      uuid NOT NULL REFERENCES profiles (id),
  joined_at       timestamptz NOT NULL DEFAULT now(),
  last_read_at    timestamptz,
  unread_count    integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  PRIMARY KEY (conversation_id, profile_id)
);
CREATE INDEX conversation_participants_profile_idx ON conversation_participants (profile_id);

CREATE TABLE messages (
  id              uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  business_id     uuid NOT NULL REFERENCES businesses (id),
  sender_id       uuid NOT NULL REFERENCES profiles (id),
  kind            text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'image', 'video', 'file', 'system')),
  channel         text NOT NULL DEFAULT 'app' CHECK (channel IN ('app', 'whatsapp', 'sms', 'email', 'web')),
  content         text NOT NULL,
  client_id       uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  search          tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED
);
-- The chat screen: latest messages of one conversation.
CREATE INDEX messages_conversation_created_idx ON messages (conversation_id, created_at DESC);
-- Seed 001's analytics and ILIKE search are scoped to one business.
CREATE INDEX messages_business_created_idx ON messages (business_id, created_at DESC);
CREATE INDEX messages_sender_id_idx ON messages (sender_id);
CREATE INDEX messages_search_idx ON messages USING gin (search);
CREATE INDEX messages_content_trgm_idx ON messages USING gin (content gin_trgm_ops);
-- Retried sends carry the same client_id: at most one message per retry key.
CREATE UNIQUE INDEX messages_client_id_key ON messages (conversation_id, client_id) WHERE client_id IS NOT NULL;

-- The seed's original read model, kept so the naive unread count can be measured.
CREATE TABLE message_read_receipts (
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  profile_id uuid NOT NULL REFERENCES profiles (id),
  read_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, profile_id)
);
CREATE INDEX message_read_receipts_profile_idx ON message_read_receipts (profile_id);

CREATE TABLE attachments (
  id           uuid PRIMARY KEY,
  message_id   uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  business_id  uuid NOT NULL REFERENCES businesses (id),
  storage_path text NOT NULL,
  mime_type    text NOT NULL,
  size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
  width        integer,
  height       integer,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message_id_idx ON attachments (message_id);
CREATE INDEX attachments_business_id_idx ON attachments (business_id);

-- Businesses the calling user belongs to. SECURITY DEFINER so RLS policies can
-- call it without recursing into business_members' own policy; wrapped in a
-- sub-select by the policies so it runs once per statement, not once per row.
CREATE FUNCTION user_business_ids() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(array_agg(business_id), '{}') FROM business_members WHERE profile_id = auth.uid()
$$;

-- The inbox of the calling user.
CREATE VIEW conversation_list WITH (security_invoker = true) AS
SELECT c.id, c.business_id, c.kind, c.channel, c.title, c.participants,
       c.last_message_at, c.last_message_preview, cp.unread_count, cp.last_read_at
FROM conversations c
JOIN conversation_participants cp ON cp.conversation_id = c.id AND cp.profile_id = auth.uid();

-- Sends a message as the calling user. Retrying with the same p_client_id
-- returns the first message instead of writing a second one.
CREATE FUNCTION send_message(p_conversation_id uuid, p_content text,
                             p_kind text DEFAULT 'text', p_client_id uuid DEFAULT NULL)
RETURNS TABLE (message_id uuid, created_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_sender   uuid := auth.uid();
  v_business uuid;
  v_channel  text;
  v_id       uuid;
  v_at       timestamptz;
BEGIN
  SELECT c.business_id, c.channel INTO v_business, v_channel
  FROM conversations c
  JOIN conversation_participants cp ON cp.conversation_id = c.id AND cp.profile_id = v_sender
  WHERE c.id = p_conversation_id;
  IF v_business IS NULL THEN
    RAISE EXCEPTION 'not a participant of conversation %', p_conversation_id USING ERRCODE = '42501';
  END IF;

  INSERT INTO messages AS m (id, conversation_id, business_id, sender_id, kind, channel, content, client_id)
  VALUES (gen_random_uuid(), p_conversation_id, v_business, v_sender, p_kind, v_channel, p_content, p_client_id)
  ON CONFLICT (conversation_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
  RETURNING m.id, m.created_at INTO v_id, v_at;

  IF v_id IS NULL THEN  -- a retry: hand back the message the first attempt wrote
    SELECT m.id, m.created_at INTO v_id, v_at
    FROM messages m WHERE m.conversation_id = p_conversation_id AND m.client_id = p_client_id;
    RETURN QUERY SELECT v_id, v_at;
    RETURN;
  END IF;

  UPDATE conversations
  SET last_message_at = v_at, last_message_preview = left(p_content, 120)
  WHERE id = p_conversation_id;

  UPDATE conversation_participants
  SET unread_count = unread_count + 1
  WHERE conversation_id = p_conversation_id AND profile_id <> v_sender;

  PERFORM pg_notify('critpath_messages',
                    json_build_object('id', v_id, 'conversation_id', p_conversation_id,
                                      'sender_id', v_sender, 'created_at', v_at)::text);
  RETURN QUERY SELECT v_id, v_at;
END
$$;

-- Marks a conversation read for the calling user (the tuned read model).
CREATE FUNCTION mark_as_read(p_conversation_id uuid) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH updated AS (
    UPDATE conversation_participants
    SET last_read_at = now(), unread_count = 0
    WHERE conversation_id = p_conversation_id AND profile_id = auth.uid()
    RETURNING 1
  )
  SELECT count(*)::integer FROM updated
$$;

-- Full-text search over the messages the caller may read (RLS applies: invoker).
CREATE FUNCTION search_messages(p_query text, p_limit integer DEFAULT 50)
RETURNS TABLE (id uuid, conversation_id uuid, sender_id uuid, content text, created_at timestamptz, rank real)
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp AS $$
  SELECT m.id, m.conversation_id, m.sender_id, m.content, m.created_at,
         ts_rank(m.search, q) AS rank
  FROM messages m, websearch_to_tsquery('english', p_query) AS q
  WHERE m.search @@ q
  ORDER BY m.created_at DESC
  LIMIT p_limit
$$;
