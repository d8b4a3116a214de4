package dev.critpath.seed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

  /** Runs the pass over all messages on one thread. */
  static ConversationStats compute(DataModel model) {
    return compute(model, 1);
  }

  /**
   * Runs the pass over all messages, split into {@code threads} ranges of message indexes whose
   * partial counts are then merged (the pass is CPU and cache bound: 10M messages take seconds).
   */
  static ConversationStats compute(DataModel model, int threads) {
    ConversationStats s = new ConversationStats(model);
    long messages = model.plan().messages();
    int parts = (int) Math.max(1, Math.min(threads, messages / 100_000));
    List<Partial> partials = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      long from = messages * i / parts + 1;
      long to = messages * (i + 1) / parts;
      Partial p = i == 0 ? s.new Partial(true) : s.new Partial(false);
      partials.add(p);
      Thread t = new Thread(() -> p.run(from, to), "critpath-seed-stats-" + i);
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while planning the dataset", e);
      }
    }
    for (Partial p : partials) {
      s.merge(p);
    }
    return s;
  }

  /**
   * Counts over one range of messages. The first range writes straight into the totals; later
   * ranges into their own arrays, merged in order (so first and last message merge by min/max).
   */
  private final class Partial {
    final boolean direct;
    final int[] pCount;
    final int[] pFirst;
    final int[] pLast;
    final int[] pUnread;
    final long[] pLastRead;
    long pReceipts;

    Partial(boolean direct) {
      this.direct = direct;
      if (direct) {
        pCount = count;
        pFirst = firstMessage;
        pLast = lastMessage;
        pUnread = unread;
        pLastRead = lastRead;
      } else {
        pCount = new int[count.length];
        pFirst = new int[count.length];
        pLast = new int[count.length];
        pUnread = new int[unread.length];
        pLastRead = new long[lastRead.length];
        Arrays.fill(pLastRead, Long.MIN_VALUE);
      }
    }

    void run(long from, long to) {
      for (long k = from; k <= to; k++) {
        account(k);
      }
    }

    private void account(long k) {
      int c = (int) model.conversationOf(k);
      int i = c - 1;
      if (pCount[i]++ == 0) {
        pFirst[i] = (int) k;
      }
      pLast[i] = (int) k;
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
          pReceipts++;
          long at = model.readAt(k, j, sent, t);
          if (at > pLastRead[base + j]) {
            pLastRead[base + j] = at;
          }
        } else {
          pUnread[base + j]++;
        }
      }
    }
  }

  private void merge(Partial p) {
    receipts += p.pReceipts;
    if (p.direct) {
      return;
    }
    for (int i = 0; i < count.length; i++) {
      if (p.pCount[i] > 0) {
        if (count[i] == 0) {
          firstMessage[i] = p.pFirst[i];
        }
        count[i] += p.pCount[i];
        lastMessage[i] = p.pLast[i];
      }
    }
    for (int j = 0; j < unread.length; j++) {
      unread[j] += p.pUnread[j];
      lastRead[j] = Math.max(lastRead[j], p.pLastRead[j]);
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
