package dev.critpath.seed;

import java.time.Duration;
import java.time.Instant;

/**
 * The seeded dataset as pure functions of (plan, seed, anchor): who belongs to which business, who
 * talks in which conversation, when each message was sent and by whom, what each voucher's state
 * is. Nothing here reads the database, so benchmarks and samplers can ask the same questions the
 * seeder answered ("which users take part in conversation 42?", "what is voucher 7's code?").
 *
 * <p>Layout, all indexes 1-based as in {@link dev.critpath.dataset.Ids}:
 *
 * <ul>
 *   <li>user u and conversation c belong to business {@code (u - 1) % B + 1} (round-robin), so the
 *       users of business b are b, b + B, b + 2B, ...; their local rank is {@code (u - 1) / B + 1};
 *   <li>conversation c's share of messages follows Zipf over c (1 is the hottest), every
 *       conversation has at least one message; participants are drawn by Zipf over the business's
 *       local user ranks, so low user indexes are the most active;
 *   <li>message k is the k-th oldest: timestamps rise with k over the 90 days before the anchor,
 *       denser towards the anchor;
 *   <li>campaign g owns vouchers {@code (g - 1) * perCampaign + 1 ..} and targets likewise;
 *       stations and campaigns are spread round-robin over businesses like users.
 * </ul>
 */
public final class DataModel {
  /** Messages span this window, ending at the anchor. */
  public static final Duration WINDOW = Duration.ofDays(90);

  /** Density of message times grows like e^(RECENCY * x) over the window (x from 0 to 1). */
  static final double RECENCY = 2.0;

  static final double CONVERSATION_ZIPF_EXPONENT = 1.0;
  static final double CONVERSATION_ZIPF_OFFSET = 1.0;
  static final double USER_ZIPF_EXPONENT = 1.0;
  static final double GROUP_SHARE = 0.10;
  static final int MIN_GROUP = 3;
  static final int MAX_GROUP = 6;
  static final double ATTACHMENT_SHARE = 0.10;
  static final int SYSTEM_MESSAGE_PERCENT = 1;

  /** Read behaviour of a participant in a conversation (shares of participant slots). */
  static final double CAUGHT_UP = 0.60;

  static final double LAGGING = 0.85;
  static final double BEHIND = 0.95;

  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
  private static final long MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;

  /** Seconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01. */
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private static final int TIMELINE_POINTS = 4096;
  private static final int EXP_POINTS = 1024;

  // Hash purposes: never renumber, the data depends on them.
  static final long P_TIME = 1;
  static final long P_CONVERSATION = 2;
  static final long P_OPENING = 3;
  static final long P_SENDER = 4;
  static final long P_KIND = 5;
  static final long P_TEXT = 6;
  static final long P_ATTACHMENT = 7;
  static final long P_READ = 8;
  static final long P_READ_DELAY = 9;
  static final long P_CONV_SHAPE = 10;
  static final long P_PARTICIPANT = 11;
  static final long P_CLIENT_ID = 12;
  static final long P_CREATED = 13;
  static final long P_NAME = 14;
  static final long P_VOUCHER_STATE = 15;
  static final long P_VOUCHER = 16;
  static final long P_CODE = 17;
  static final long P_TARGET = 18;
  static final long P_CAMPAIGN = 19;
  static final long P_STATION = 20;
  static final long P_TERM = 21;

  private final Plan plan;
  private final long seed;
  private final long anchorMicros;
  private final long windowStartMicros;
  private final double[] timeline = new double[TIMELINE_POINTS + 1];
  private final double[] exponential = new double[EXP_POINTS];
  private final Permutation opening;
  private final AliasTable conversationZipf;
  private final AliasTable localUserZipf;
  private final Permutation attachments;
  private final long attachmentCount;
  private final Permutation voucherStates;
  private final Permutation voucherCodes;
  private final TextGenerator text;

  public DataModel(Plan plan, long seed, Instant anchor) {
    this.plan = plan;
    this.seed = seed;
    this.anchorMicros = toPgMicros(anchor);
    this.windowStartMicros = anchorMicros - WINDOW.toSeconds() * MICROS_PER_SECOND;
    double scale = StrictMath.expm1(RECENCY);
    for (int i = 0; i <= TIMELINE_POINTS; i++) {
      double p = (double) i / TIMELINE_POINTS;
      timeline[i] = StrictMath.log1p(p * scale) / RECENCY;
    }
    for (int i = 0; i < EXP_POINTS; i++) {
      exponential[i] = -StrictMath.log1p(-(i + 0.5) / EXP_POINTS);
    }
    this.opening = new Permutation(plan.messages(), seed, P_OPENING);
    this.conversationZipf =
        AliasTable.zipf(plan.conversations(), CONVERSATION_ZIPF_EXPONENT, CONVERSATION_ZIPF_OFFSET);
    this.localUserZipf = AliasTable.zipf(maxLocalRank(), USER_ZIPF_EXPONENT, 0);
    this.attachments = new Permutation(plan.messages(), seed, P_ATTACHMENT);
    this.attachmentCount = Math.round(plan.messages() * ATTACHMENT_SHARE);
    this.voucherStates = new Permutation(plan.vouchers(), seed, P_VOUCHER_STATE);
    this.voucherCodes = new Permutation(1L << 60, seed, P_CODE);
    this.text = new TextGenerator(plan.messages(), seed);
  }

  public Plan plan() {
    return plan;
  }

  public long seed() {
    return seed;
  }

  TextGenerator text() {
    return text;
  }

  /** Microseconds since 2000-01-01 UTC (PostgreSQL's binary timestamptz). */
  static long toPgMicros(Instant instant) {
    return (instant.getEpochSecond() - PG_EPOCH_SECONDS) * MICROS_PER_SECOND
        + instant.getNano() / 1_000;
  }

  long anchorMicros() {
    return anchorMicros;
  }

  // ---------------------------------------------------------------- businesses and users

  public static long businessOf(long index, int businesses) {
    return (index - 1) % businesses + 1;
  }

  /** The business of user u (also of conversation u, station u and campaign u). */
  public long businessOf(long index) {
    return businessOf(index, plan.businesses());
  }

  /** How many users business b has. */
  public int usersOfBusiness(long business) {
    return (int) ((plan.users() - business) / plan.businesses() + 1);
  }

  /** The user of business b with local rank r (1 = its most active). */
  public long userOfBusiness(long business, int rank) {
    return business + (long) (rank - 1) * plan.businesses();
  }

  /** The rank of user u inside its business (1 = the business's most active user). */
  public int localRank(long user) {
    return (int) ((user - 1) / plan.businesses() + 1);
  }

  private int maxLocalRank() {
    return (plan.users() + plan.businesses() - 1) / plan.businesses();
  }

  /** A user of business b drawn by activity (Zipf over local rank). */
  long activeUserOf(long business, long hash) {
    int size = usersOfBusiness(business);
    long h = hash;
    for (int attempt = 0; attempt < 16; attempt++) {
      int rank = localUserZipf.sample(h) + 1;
      if (rank <= size) {
        return userOfBusiness(business, rank);
      }
      h = Mix.mix64(h);
    }
    return userOfBusiness(business, 1);
  }

  long createdMicros(long purpose, long index, int minDaysAgo, int maxDaysAgo) {
    double u = Mix.unit(Mix.hash(seed, P_CREATED, index, purpose));
    return anchorMicros - (long) ((minDaysAgo + u * (maxDaysAgo - minDaysAgo)) * MICROS_PER_DAY);
  }

  // ---------------------------------------------------------------- conversations

  /** Participants of conversation c as user indexes; the first is whoever opened it. */
  public long[] participants(long conversation) {
    long shape = Mix.hash(seed, P_CONV_SHAPE, conversation);
    long business = businessOf(conversation);
    int available = usersOfBusiness(business);
    int wanted =
        isGroupShape(shape)
            ? MIN_GROUP + Mix.below(Mix.mix64(shape), MAX_GROUP - MIN_GROUP + 1)
            : 2;
    int n = Math.min(wanted, available);
    long[] users = new long[n];
    int filled = 0;
    long h = Mix.hash(seed, P_PARTICIPANT, conversation);
    for (int attempt = 0; attempt < 64 && filled < n; attempt++) {
      h = Mix.mix64(h + attempt);
      long candidate = activeUserOf(business, h);
      if (!contains(users, filled, candidate)) {
        users[filled++] = candidate;
      }
    }
    for (int rank = 1; filled < n; rank++) {
      long candidate = userOfBusiness(business, rank);
      if (!contains(users, filled, candidate)) {
        users[filled++] = candidate;
      }
    }
    return users;
  }

  private static boolean contains(long[] values, int count, long value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGroupShape(long shapeHash) {
    return Mix.unit(shapeHash) < GROUP_SHARE;
  }

  public boolean isGroup(long conversation) {
    return isGroupShape(Mix.hash(seed, P_CONV_SHAPE, conversation));
  }

  private static final String[] CHANNELS = {"app", "whatsapp", "sms", "email", "web"};
  private static final int[] CHANNEL_PERCENT = {40, 30, 10, 10, 10};

  public String channel(long conversation) {
    int p = Mix.below(Mix.hash(seed, P_CONV_SHAPE, conversation, 1), 100);
    for (int i = 0; i < CHANNELS.length; i++) {
      p -= CHANNEL_PERCENT[i];
      if (p < 0) {
        return CHANNELS[i];
      }
    }
    return CHANNELS[0];
  }

  /**
   * When participant slot {@code slot} of conversation c had read up to, in PostgreSQL micros: the
   * anchor (caught up), a bit before it, long before it, or {@link Long#MIN_VALUE} (never read).
   * The last participant of conversation 1, the hottest, never reads: the documented unread
   * hotspot.
   */
  long readThreshold(long conversation, int slot, int slots) {
    if (conversation == 1 && slot == slots - 1 && slots > 1) {
      return Long.MIN_VALUE;
    }
    long h = Mix.hash(seed, P_READ, conversation, slot);
    double u = Mix.unit(h);
    if (u < CAUGHT_UP) {
      return anchorMicros;
    }
    if (u < LAGGING) {
      return anchorMicros - (long) (exponential(Mix.mix64(h)) * MICROS_PER_DAY);
    }
    if (u < BEHIND) {
      return anchorMicros - (long) (Mix.unit(Mix.mix64(h)) * WINDOW.toDays() * MICROS_PER_DAY);
    }
    return Long.MIN_VALUE;
  }

  /**
   * When the reader in slot {@code slot} read message k (before their threshold and the anchor).
   */
  long readAt(long message, int slot, long sentAt, long threshold) {
    long delay =
        (long) (exponential(Mix.hash(seed, P_READ_DELAY, message, slot)) * 20 * MICROS_PER_MINUTE);
    return Math.min(Math.min(sentAt + delay, threshold), anchorMicros);
  }

  /** An exponential variate with mean 1 (quantised; good enough for delays). */
  double exponential(long hash) {
    return exponential[Mix.below(hash, EXP_POINTS)];
  }

  // ---------------------------------------------------------------- messages

  /** When message k was sent (PostgreSQL micros); rises with k. */
  public long sentAt(long message) {
    double u = Mix.unit(Mix.hash(seed, P_TIME, message));
    double p = ((message - 1) + u) / plan.messages();
    double x = p * TIMELINE_POINTS;
    int i = Math.min((int) x, TIMELINE_POINTS - 1);
    double frac = x - i;
    double g = timeline[i] + (timeline[i + 1] - timeline[i]) * frac;
    return windowStartMicros + (long) (g * (anchorMicros - windowStartMicros));
  }

  /** The conversation message k belongs to. */
  public long conversationOf(long message) {
    long open = opening.apply(message - 1);
    if (open < plan.conversations()) {
      return open + 1;
    }
    return conversationZipf.sample(Mix.hash(seed, P_CONVERSATION, message)) + 1;
  }

  /** Which participant slot of its conversation sent message k. */
  int senderSlot(long message, int slots) {
    return Mix.below(Mix.hash(seed, P_SENDER, message), slots);
  }

  /** The attachment index of message k (1..attachmentCount), or 0 when it has none. */
  long attachmentOf(long message) {
    long a = attachments.apply(message - 1);
    return a < attachmentCount ? a + 1 : 0;
  }

  long messageOfAttachment(long attachment) {
    return attachments.invert(attachment - 1) + 1;
  }

  public long attachmentCount() {
    return attachmentCount;
  }

  /** Attachment kinds by index: images first, then videos, then files. */
  String attachmentKind(long attachment) {
    if (attachment <= attachmentCount * 7 / 10) {
      return "image";
    }
    if (attachment <= attachmentCount * 9 / 10) {
      return "video";
    }
    return "file";
  }

  String messageKind(long message, long attachment) {
    if (attachment > 0) {
      return attachmentKind(attachment);
    }
    return Mix.below(Mix.hash(seed, P_KIND, message), 100) < SYSTEM_MESSAGE_PERCENT
        ? "system"
        : "text";
  }

  /** Retry key of an app message (what the client sends with it); null for other channels. */
  long[] clientId(long message) {
    long h = Mix.hash(seed, P_CLIENT_ID, message);
    long msb = (Mix.mix64(h) & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
    long lsb = (h & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new long[] {msb, lsb};
  }

  // ---------------------------------------------------------------- vouchers and campaigns

  public enum VoucherState {
    ISSUED("issued", 0.60),
    REDEEMED("redeemed", 0.85),
    EXPIRED("expired", 0.97),
    VOID("void", 1.0);

    final String sql;
    final double upTo;

    VoucherState(String sql, double upTo) {
      this.sql = sql;
      this.upTo = upTo;
    }

    public String sql() {
      return sql;
    }
  }

  /** Exact shares: 60% issued (redeemable now), 25% redeemed, 12% expired, 3% void. */
  public VoucherState voucherState(long voucher) {
    long rank = voucherStates.apply(voucher - 1);
    for (VoucherState s : VoucherState.values()) {
      if (rank < Math.round(plan.vouchers() * s.upTo)) {
        return s;
      }
    }
    return VoucherState.VOID;
  }

  public long voucherCount(VoucherState state) {
    long below = 0;
    for (VoucherState s : VoucherState.values()) {
      long upTo = Math.round(plan.vouchers() * s.upTo);
      if (s == state) {
        return upTo - below;
      }
      below = upTo;
    }
    return 0;
  }

  public long campaignOfVoucher(long voucher) {
    return (voucher - 1) / plan.vouchersPerCampaign() + 1;
  }

  public long campaignOfTarget(long target) {
    return (target - 1) / plan.targetsPerCampaign() + 1;
  }

  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  /** Voucher v's code: 12 characters of Crockford base32, unique, unguessable-looking. */
  public String voucherCode(long voucher) {
    long v = voucherCodes.apply(voucher);
    char[] out = new char[12];
    for (int i = 11; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (v & 31)];
      v >>>= 5;
    }
    return new String(out);
  }

  /** A station of business b (round-robin like users), or any station when b has none. */
  long stationOf(long business, long hash) {
    int stations = plan.stations();
    int own = business <= stations ? (int) ((stations - business) / plan.businesses() + 1) : 0;
    if (own == 0) {
      return (business - 1) % stations + 1;
    }
    return business + (long) Mix.below(hash, own) * plan.businesses();
  }

  long microsPerDay() {
    return MICROS_PER_DAY;
  }
}
