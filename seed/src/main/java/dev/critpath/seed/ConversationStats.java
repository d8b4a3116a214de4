package dev.critpath.seed;

import java.util.Arrays;

/**
 * What the conversation rows need from their messages, found in one cheap pass over the message
 * stream before anything is loaded (conversations must be loaded before their messages, yet carry
 * the last message's time and preview): message counts, first and last message, and per participant
 * the unread count and last read time that agree with the read receipts. Memory is a few bytes per
 * conversation and per participant, never per message.
 */
final class ConversationStats {
  private final DataModel model;
  private final int[] slotStart;
  private final int[] slotUser;
  private final long[] threshold;
  private final int[] unread;
  private final long[] lastRead;
  private final int[] count;
  private final int[] firstMessage;
  private final int[] lastMessage;
  private long receipts;

  private ConversationStats(DataModel model) {
    this.model = model;
    int conversations = model.plan().conversations();
    slotStart = new int[conversations + 1];
    long[][] participants = new long[conversations][];
    int slots = 0;
    for (int c = 1; c <= conversations; c++) {
      participants[c - 1] = model.participants(c);
      slotStart[c - 1] = slots;
      slots += participants[c - 1].length;
    }
    slotStart[conversations] = slots;
    slotUser = new int[slots];
    threshold = new long[slots];
    unread = new int[slots];
    lastRead = new long[slots];
    Arrays.fill(lastRead, Long.MIN_VALUE);
    for (int c = 1; c <= conversations; c++) {
      long[] users = participants[c - 1];
      participants[c - 1] = null;
      for (int j = 0; j < users.length; j++) {
        slotUser[slotStart[c - 1] + j] = (int) users[j];
        threshold[slotStart[c - 1] + j] = model.readThreshold(c, j, users.length);
      }
    }
    count = new int[conversations];
    firstMessage = new int[conversations];
    lastMessage = new int[conversations];
  }

  /** Runs the pass over all messages. */
  static ConversationStats compute(DataModel model) {
    ConversationStats s = new ConversationStats(model);
    long messages = model.plan().messages();
    for (long k = 1; k <= messages; k++) {
      s.account(k);
    }
    return s;
  }

  private void account(long k) {
    int c = (int) model.conversationOf(k);
    int i = c - 1;
    if (count[i]++ == 0) {
      firstMessage[i] = (int) k;
    }
    lastMessage[i] = (int) k;
    long sent = model.sentAt(k);
    int base = slotStart[i];
    int slots = slotStart[i + 1] - base;
    int sender = model.senderSlot(k, slots);
    for (int j = 0; j < slots; j++) {
      if (j == sender) {
        continue;
      }
      long t = threshold[base + j];
      if (sent <= t) {
        receipts++;
        long at = model.readAt(k, j, sent, t);
        if (at > lastRead[base + j]) {
          lastRead[base + j] = at;
        }
      } else {
        unread[base + j]++;
      }
    }
  }

  int slots(long conversation) {
    return slotStart[(int) conversation] - slotStart[(int) conversation - 1];
  }

  int slotBase(long conversation) {
    return slotStart[(int) conversation - 1];
  }

  long user(int slot) {
    return slotUser[slot];
  }

  long threshold(int slot) {
    return threshold[slot];
  }

  int unread(int slot) {
    return unread[slot];
  }

  /** Last read time in PostgreSQL micros, or {@link Long#MIN_VALUE} when nothing was read. */
  long lastRead(int slot) {
    return lastRead[slot];
  }

  int messageCount(long conversation) {
    return count[(int) conversation - 1];
  }

  long firstMessage(long conversation) {
    return firstMessage[(int) conversation - 1];
  }

  long lastMessage(long conversation) {
    return lastMessage[(int) conversation - 1];
  }

  long participantRows() {
    return slotUser.length;
  }

  long receipts() {
    return receipts;
  }

  /** The largest unread count of any user summed over their conversations, and who has it. */
  long[] maxUnreadUser() {
    long[] perUser = new long[model.plan().users() + 1];
    for (int s = 0; s < slotUser.length; s++) {
      perUser[slotUser[s]] += unread[s];
    }
    long best = 0;
    long who = 0;
    for (int u = 1; u < perUser.length; u++) {
      if (perUser[u] > best) {
        best = perUser[u];
        who = u;
      }
    }
    long over1000 = Arrays.stream(perUser).filter(v -> v >= 1000).count();
    return new long[] {who, best, over1000};
  }
}
