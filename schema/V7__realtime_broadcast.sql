-- critpath reference workload, part 7: what Supabase Realtime reads in the database.
--
-- On a Supabase project the realtime schema, its messages table, realtime.send() and
-- realtime.broadcast_changes() and both publications already exist (Realtime owns them): here
-- they are created only when missing, with the same names and signatures, for the local relay
-- (supabase/realtime/relay.ts). What the app itself adds exists in both places: messages in the
-- supabase_realtime publication (postgres_changes) and the policies on realtime.messages that
-- authorise private broadcast channels named conversation:<id> for the conversation's members.

SET LOCAL search_path = public, extensions;

CREATE SCHEMA IF NOT EXISTS realtime;
GRANT USAGE ON SCHEMA realtime TO anon, authenticated, service_role;

DO $$
BEGIN
  IF to_regclass('realtime.messages') IS NULL THEN
    -- Realtime partitions this table by day and a janitor drops old partitions; one table here.
    CREATE TABLE realtime.messages (
      id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
      topic text NOT NULL,
      extension text NOT NULL,
      event text,
      payload jsonb,
      private boolean DEFAULT false,
      updated_at timestamp NOT NULL DEFAULT now(),
      inserted_at timestamp NOT NULL DEFAULT now()
    );
    ALTER TABLE realtime.messages ENABLE ROW LEVEL SECURITY;
    GRANT SELECT, INSERT ON realtime.messages TO anon, authenticated;
    GRANT ALL ON realtime.messages TO service_role;
  END IF;

  IF to_regprocedure('realtime.topic()') IS NULL THEN
    CREATE FUNCTION realtime.topic() RETURNS text LANGUAGE sql STABLE AS $f$
      SELECT nullif(current_setting('realtime.topic', true), '')::text
    $f$;
    GRANT EXECUTE ON FUNCTION realtime.topic() TO anon, authenticated, service_role;
  END IF;

  -- Same signature and behaviour as Realtime's: the payload gets an id when it has none, the
  -- message row is what Realtime streams to the topic's subscribers, and a failure is a WARNING.
  IF to_regprocedure('realtime.send(jsonb, text, text, boolean)') IS NULL THEN
    CREATE FUNCTION realtime.send(payload jsonb, event text, topic text, private boolean DEFAULT true)
    RETURNS void LANGUAGE plpgsql AS $f$
    DECLARE
      message_id uuid := gen_random_uuid();
    BEGIN
      BEGIN
        PERFORM set_config('realtime.topic', topic, true);
        INSERT INTO realtime.messages (id, payload, event, topic, private, extension)
        VALUES (message_id,
                CASE WHEN payload ? 'id' THEN payload ELSE payload || jsonb_build_object('id', message_id) END,
                event, topic, private, 'broadcast');
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'ErrorSendingBroadcastMessage: %', SQLERRM;
      END;
    END
    $f$;
  END IF;

  IF to_regprocedure('realtime.broadcast_changes(text, text, text, text, text, record, record, text)') IS NULL THEN
    CREATE FUNCTION realtime.broadcast_changes(topic_name text, event_name text, operation text,
        table_name text, table_schema text, new record, old record, level text DEFAULT 'ROW')
    RETURNS void LANGUAGE plpgsql AS $f$
    BEGIN
      IF level = 'STATEMENT' THEN
        RAISE EXCEPTION 'function can only be triggered for each row, not for each statement';
      END IF;
      IF operation NOT IN ('INSERT', 'UPDATE', 'DELETE') THEN
        RAISE EXCEPTION 'Unexpected operation type: %', operation;
      END IF;
      PERFORM realtime.send(
        jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                           'table', table_name, 'schema', table_schema),
        event_name, topic_name);
    END
    $f$;
  END IF;
END
$$;

-- Private channels conversation:<id>: members of the conversation's business may receive and send.
CREATE OR REPLACE FUNCTION public.realtime_conversation_member(topic text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT topic ~ '^conversation:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     AND EXISTS (SELECT 1 FROM conversations c WHERE c.id = substr(topic, 14)::uuid)
$$;
GRANT EXECUTE ON FUNCTION public.realtime_conversation_member(text) TO authenticated;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'realtime' AND tablename = 'messages'
                 AND policyname = 'critpath_conversation_members_receive') THEN
    CREATE POLICY critpath_conversation_members_receive ON realtime.messages FOR SELECT
      TO authenticated USING (extension = 'broadcast' AND public.realtime_conversation_member(realtime.topic()));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'realtime' AND tablename = 'messages'
                 AND policyname = 'critpath_conversation_members_send') THEN
    CREATE POLICY critpath_conversation_members_send ON realtime.messages FOR INSERT
      TO authenticated WITH CHECK (extension = 'broadcast' AND public.realtime_conversation_member(realtime.topic()));
  END IF;
END
$$;

-- postgres_changes: Supabase's publication, with the tables the app wants changes of.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_publication_tables WHERE pubname = 'supabase_realtime'
                 AND schemaname = 'public' AND tablename = 'messages') THEN
    ALTER PUBLICATION supabase_realtime ADD TABLE public.messages;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime_messages_publication') THEN
    CREATE PUBLICATION supabase_realtime_messages_publication FOR TABLE realtime.messages;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'publications not changed (%): add public.messages to supabase_realtime by hand', SQLERRM;
END
$$;
