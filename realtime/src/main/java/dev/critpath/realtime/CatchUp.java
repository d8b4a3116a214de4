package dev.critpath.realtime;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What a client does after a reconnect: fetch the conversation's messages since the last one it saw
 * (created_at &gt;= that one's, so a message sharing its timestamp is not skipped; the copies
 * already seen are dropped by id).
 */
interface CatchUp extends AutoCloseable {
  /**
   * The ids of the messages of {@code conversation} created at or after {@code since} (all of them
   * when null), as {@code user} may read them.
   */
  List<String> since(UUID user, String accessToken, UUID conversation, OffsetDateTime since)
      throws Exception;

  @Override
  void close();
}
