package dev.critpath.realtime;

import java.time.OffsetDateTime;
import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every message a run sent: its sequence number, conversation, creation time and the instant its
 * COMMIT was sent. Receivers look deliveries up here by message id, which is how each delivery
 * carries a send timestamp and how losses and duplicates are told apart.
 */
final class MessageLog {
  /**
   * @param seq 0-based order of sending
   * @param commitRequestNanos System.nanoTime() when COMMIT left the sender: delivery latency is
   *     measured from here (the notification cannot leave the server before the commit)
   */
  record Sent(int seq, int conversation, OffsetDateTime createdAt, long commitRequestNanos) {}

  private final ConcurrentHashMap<String, Sent> byId = new ConcurrentHashMap<>();
  private final BitSet committed = new BitSet();
  private final BitSet[] byConversation;

  MessageLog(int conversations) {
    byConversation = new BitSet[conversations];
    for (int i = 0; i < conversations; i++) {
      byConversation[i] = new BitSet();
    }
  }

  /** Registers a message just before its COMMIT, so that no delivery can beat the entry. */
  void sending(String id, Sent sent) {
    byId.put(id, sent);
  }

  synchronized void committed(Sent sent) {
    committed.set(sent.seq());
    byConversation[sent.conversation()].set(sent.seq());
  }

  /** A message whose COMMIT failed: nobody should receive it. */
  void failed(String id) {
    byId.remove(id);
  }

  Sent lookup(String id) {
    return id == null ? null : byId.get(id);
  }

  /** The messages a receiver of {@code conversation} should get (-1: every conversation). */
  synchronized BitSet expected(int conversation) {
    return (BitSet) (conversation < 0 ? committed : byConversation[conversation]).clone();
  }
}
