package dev.critpath.seed;

import dev.critpath.dataset.Ids.Entity;
import java.sql.SQLException;

/**
 * Writes the rows of each table from the {@link DataModel}: one "unit" (a user, a conversation, a
 * message, a voucher) yields zero or more rows, and any range of units can be written on its own,
 * which is how a table is split over several COPY streams.
 */
final class Rows {
  private static final String[] ADJECTIVES = {
    "Sunny", "Blue", "Golden", "Urban", "Green", "Bright", "Happy", "Royal", "Swift", "Fresh",
    "Silver", "Little", "Grand", "North", "Coastal", "Prime"
  };
  private static final String[] NOUNS = {
    "Bakery",
    "Garage",
    "Pharmacy",
    "Coffee",
    "Fitness",
    "Travel",
    "Books",
    "Pizza",
    "Florist",
    "Clinic",
    "Market",
    "Fuel",
    "Salon",
    "Kitchen",
    "Outfitters",
    "Tech"
  };
  private static final String[] FIRST_NAMES = {
    "Ana", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor",
    "Wen", "Yara", "Zoe", "Liam", "Mia", "Noah", "Olivia", "Lucas"
  };
  private static final String[] LAST_NAMES = {
    "Silva", "Smith", "Nguyen", "Garcia", "Müller", "Kowalski", "Okafor", "Rossi", "Dubois",
    "Tanaka", "Haddad", "Jensen", "Novak", "Fernandes", "Kim", "Murphy", "Singh", "Costa",
    "Larsen", "Ivanova"
  };
  private static final String[] CITIES = {
    "Lisbon", "Porto", "Madrid", "Berlin", "Paris", "Lagos", "Nairobi", "Austin", "Toronto",
    "Manila", "Jakarta", "Sydney", "Dublin", "Warsaw", "Milan"
  };
  private static final int[] AMOUNTS = {500, 1000, 1500, 2000, 2500, 5000};
  private static final int[][] DIMENSIONS = {
    {1080, 1920}, {1920, 1080}, {1200, 1200}, {720, 1280}, {1280, 720}, {3024, 4032}
  };
  private static final int PREVIEW_LENGTH = 120;

  private final DataModel model;
  private final ConversationStats stats;
  private final SearchVectors searchVectors;
  private final long day;

  Rows(DataModel model, ConversationStats stats, SearchVectors searchVectors) {
    this.model = model;
    this.stats = stats;
    this.searchVectors = searchVectors;
    this.day = model.microsPerDay();
  }

  /** What to write for one table. */
  interface Source {
    /** Units run from 1 to this. */
    long units();

    long plannedRows();

    /** Writes unit's rows; a buffer per thread is passed in for message text. */
    void emit(long unit, CopyWriter w, byte[] scratch) throws SQLException;
  }

  Source source(SeedTable table) {
    Plan plan = model.plan();
    switch (table) {
      case BUSINESSES:
        return simple(plan.businesses(), this::business);
      case PROFILES:
        return simple(plan.users(), this::profile);
      case BUSINESS_MEMBERS:
        return source(plan.users(), plan.users() + secondMemberships(), this::members);
      case CONVERSATIONS:
        return source(plan.conversations(), plan.conversations(), this::conversation);
      case CONVERSATION_PARTICIPANTS:
        return simple(plan.conversations(), stats.participantRows(), this::participants);
      case MESSAGES:
        return source(plan.messages(), plan.messages(), this::message);
      case MESSAGE_READ_RECEIPTS:
        return source(plan.messages(), stats.receipts(), this::receipts);
      case ATTACHMENTS:
        return simple(model.attachmentCount(), this::attachment);
      case STATIONS:
        return simple(plan.stations(), this::station);
      case CAMPAIGNS:
        return simple(plan.campaigns(), this::campaign);
      case CAMPAIGN_TARGETS:
        return simple(plan.campaignTargets(), this::target);
      case VOUCHERS:
        return simple(plan.vouchers(), this::voucher);
      case REDEMPTIONS:
        return simple(
            plan.vouchers(), model.voucherCount(DataModel.VoucherState.REDEEMED), this::redemption);
      default:
        throw new IllegalArgumentException(table.name());
    }
  }

  long plannedRows(SeedTable table) {
    return source(table).plannedRows();
  }

  private long secondMemberships() {
    return model.plan().businesses() > 1 ? model.plan().users() / 10 : 0;
  }

  // ------------------------------------------------------------------ rows

  private void business(long b, CopyWriter w) throws SQLException {
    long h = Mix.hash(model.seed(), DataModel.P_NAME, b);
    w.row(4);
    w.id(Entity.BUSINESS, b);
    w.text(
        ADJECTIVES[Mix.below(h, ADJECTIVES.length)]
            + " "
            + NOUNS[Mix.below(Mix.mix64(h), NOUNS.length)]
            + " "
            + b);
    double u = Mix.unit(Mix.mix64(h + 1));
    w.ascii(u < 0.05 ? "enterprise" : u < 0.30 ? "pro" : "free");
    w.timestamp(model.createdMicros(1, b, 200, 600));
  }

  private void profile(long u, CopyWriter w) throws SQLException {
    long h = Mix.hash(model.seed(), DataModel.P_NAME, u, 1);
    w.row(6);
    w.id(Entity.USER, u);
    w.id(Entity.BUSINESS, model.businessOf(u));
    w.ascii("perf_user_" + u);
    w.text(
        FIRST_NAMES[Mix.below(h, FIRST_NAMES.length)]
            + " "
            + LAST_NAMES[Mix.below(Mix.mix64(h), LAST_NAMES.length)]);
    w.ascii("perf.user." + u + "@test.com");
    w.timestamp(model.createdMicros(2, u, 100, 200));
  }

  private void members(long u, CopyWriter w, byte[] scratch) throws SQLException {
    long b = model.businessOf(u);
    int rank = model.localRank(u);
    w.row(3);
    w.id(Entity.BUSINESS, b);
    w.id(Entity.USER, u);
    w.ascii(rank == 1 ? "owner" : rank <= 3 ? "admin" : "agent");
    int businesses = model.plan().businesses();
    if (businesses > 1 && u % 10 == 0) {
      w.row(3);
      w.id(Entity.BUSINESS, b % businesses + 1);
      w.id(Entity.USER, u);
      w.ascii("agent");
    }
  }

  long conversationCreated(long c) {
    long first = model.sentAt(stats.firstMessage(c));
    double u = Mix.unit(Mix.hash(model.seed(), DataModel.P_CREATED, c, 99));
    return first - (long) (u * day / 24);
  }

  private void conversation(long c, CopyWriter w, byte[] scratch) throws SQLException {
    int slots = stats.slots(c);
    int base = stats.slotBase(c);
    long[] users = new long[slots];
    for (int j = 0; j < slots; j++) {
      users[j] = stats.user(base + j);
    }
    long last = stats.lastMessage(c);
    boolean group = model.isGroup(c);
    w.row(9);
    w.id(Entity.CONVERSATION, c);
    w.id(Entity.BUSINESS, model.businessOf(c));
    w.ascii(group ? "group" : "direct");
    w.ascii(model.channel(c));
    if (group) {
      w.ascii("Team chat " + c);
    } else {
      w.nul();
    }
    w.idArray(Entity.USER, users, 0, slots);
    w.timestamp(conversationCreated(c));
    w.timestamp(model.sentAt(last));
    String content = model.text().content(last, model.messageKind(last, model.attachmentOf(last)));
    if (content.codePointCount(0, content.length()) > PREVIEW_LENGTH) {
      content = content.substring(0, content.offsetByCodePoints(0, PREVIEW_LENGTH));
    }
    w.text(content);
  }

  private void participants(long c, CopyWriter w) throws SQLException {
    int slots = stats.slots(c);
    int base = stats.slotBase(c);
    long joined = conversationCreated(c);
    for (int j = 0; j < slots; j++) {
      w.row(5);
      w.id(Entity.CONVERSATION, c);
      w.id(Entity.USER, stats.user(base + j));
      w.timestamp(joined);
      long read = stats.lastRead(base + j);
      if (read == Long.MIN_VALUE) {
        w.nul();
      } else {
        w.timestamp(read);
      }
      w.integer(stats.unread(base + j));
    }
  }

  private void message(long k, CopyWriter w, byte[] scratch) throws SQLException {
    long c = model.conversationOf(k);
    int base = stats.slotBase(c);
    int sender = model.senderSlot(k, stats.slots(c));
    long attachment = model.attachmentOf(k);
    String kind = model.messageKind(k, attachment);
    String channel = model.channel(c);
    w.row(10);
    w.id(Entity.MESSAGE, k);
    w.id(Entity.CONVERSATION, c);
    w.id(Entity.BUSINESS, model.businessOf(c));
    w.id(Entity.USER, stats.user(base + sender));
    w.ascii(kind);
    w.ascii(channel);
    w.text(scratch, model.text().write(k, kind, scratch));
    if (channel.equals("app")) {
      long[] client = model.clientId(k);
      w.uuid(client[0], client[1]);
    } else {
      w.nul();
    }
    w.timestamp(model.sentAt(k));
    searchVectors.write(model.text(), w);
  }

  private void receipts(long k, CopyWriter w, byte[] scratch) throws SQLException {
    long c = model.conversationOf(k);
    int base = stats.slotBase(c);
    int slots = stats.slots(c);
    int sender = model.senderSlot(k, slots);
    long sent = model.sentAt(k);
    for (int j = 0; j < slots; j++) {
      long threshold = stats.threshold(base + j);
      if (j != sender && sent <= threshold) {
        w.row(3);
        w.id(Entity.MESSAGE, k);
        w.id(Entity.USER, stats.user(base + j));
        w.timestamp(model.readAt(k, j, sent, threshold));
      }
    }
  }

  private void attachment(long a, CopyWriter w) throws SQLException {
    long k = model.messageOfAttachment(a);
    long c = model.conversationOf(k);
    long b = model.businessOf(c);
    String kind = model.attachmentKind(a);
    long h = Mix.hash(model.seed(), DataModel.P_ATTACHMENT, a, 1);
    w.row(9);
    w.id(Entity.ATTACHMENT, a);
    w.id(Entity.MESSAGE, k);
    w.id(Entity.BUSINESS, b);
    String ext = kind.equals("image") ? "jpg" : kind.equals("video") ? "mp4" : "pdf";
    w.ascii("b" + b + "/c" + c + "/a" + a + "." + ext);
    w.ascii(
        kind.equals("image")
            ? "image/jpeg"
            : kind.equals("video") ? "video/mp4" : "application/pdf");
    double u = Mix.unit(h);
    double kilobytes =
        kind.equals("image")
            ? 50 * StrictMath.pow(60, u)
            : kind.equals("video") ? 1000 * StrictMath.pow(50, u) : 20 * StrictMath.pow(250, u);
    w.bigint((long) (kilobytes * 1024));
    if (kind.equals("file")) {
      w.nul();
      w.nul();
    } else {
      int[] dim = DIMENSIONS[Mix.below(Mix.mix64(h), DIMENSIONS.length)];
      w.integer(dim[0]);
      w.integer(dim[1]);
    }
    w.timestamp(model.sentAt(k));
  }

  private void station(long s, CopyWriter w) throws SQLException {
    w.row(5);
    w.id(Entity.STATION, s);
    w.id(Entity.BUSINESS, model.businessOf(s));
    w.ascii("Station " + s);
    w.ascii(CITIES[Mix.below(Mix.hash(model.seed(), DataModel.P_STATION, s), CITIES.length)]);
    w.timestamp(model.createdMicros(3, s, 100, 300));
  }

  long campaignStart(long g) {
    double u = Mix.unit(Mix.hash(model.seed(), DataModel.P_CAMPAIGN, g));
    return model.anchorMicros() - (long) ((10 + u * 70) * day);
  }

  long campaignEnd(long g) {
    double u = Mix.unit(Mix.hash(model.seed(), DataModel.P_CAMPAIGN, g, 1));
    return campaignStart(g) + (long) ((30 + u * 90) * day);
  }

  private void campaign(long g, CopyWriter w) throws SQLException {
    long start = campaignStart(g);
    long end = campaignEnd(g);
    double u = Mix.unit(Mix.hash(model.seed(), DataModel.P_CAMPAIGN, g, 2));
    String status =
        end < model.anchorMicros()
            ? "completed"
            : u < 0.8 ? "active" : u < 0.9 ? "paused" : "draft";
    w.row(7);
    w.id(Entity.CAMPAIGN, g);
    w.id(Entity.BUSINESS, model.businessOf(g));
    w.ascii("Campaign " + g);
    w.ascii(status);
    w.timestamp(start);
    w.timestamp(end);
    w.timestamp(start - 7 * day);
  }

  private void target(long t, CopyWriter w) throws SQLException {
    long g = model.campaignOfTarget(t);
    long h = Mix.hash(model.seed(), DataModel.P_TARGET, t);
    w.row(6);
    w.id(Entity.CAMPAIGN_TARGET, t);
    w.id(Entity.CAMPAIGN, g);
    if (Mix.unit(h) < 0.7) {
      w.id(Entity.USER, model.activeUserOf(model.businessOf(g), Mix.mix64(h)));
    } else {
      w.nul();
    }
    w.ascii(phone(t));
    double s = Mix.unit(Mix.mix64(h + 1));
    if (s < 0.7) {
      w.ascii("sent");
      long start = campaignStart(g);
      long span = Math.max(1, Math.min(model.anchorMicros(), campaignEnd(g)) - start);
      w.timestamp(start + (long) (Mix.unit(Mix.mix64(h + 2)) * span));
    } else {
      w.ascii(s < 0.9 ? "pending" : "failed");
      w.nul();
    }
  }

  /** A North American fictional number (555) unique per target below 10 million. */
  static String phone(long target) {
    char[] digits = "+15550000000".toCharArray();
    long rest = target % 10_000_000;
    for (int i = digits.length - 1; i >= 5; i--) {
      digits[i] = (char) ('0' + rest % 10);
      rest /= 10;
    }
    return new String(digits);
  }

  /** issued_at, expires_at and redeemed_at (or MIN_VALUE) of voucher v, in PostgreSQL micros. */
  long[] voucherTimes(long v, DataModel.VoucherState state) {
    long anchor = model.anchorMicros();
    long h = Mix.hash(model.seed(), DataModel.P_VOUCHER, v);
    double u = Mix.unit(h);
    double u2 = Mix.unit(Mix.mix64(h));
    long issued;
    long expires;
    long redeemed = Long.MIN_VALUE;
    switch (state) {
      case ISSUED:
        issued = anchor - (long) ((1 + u * 59) * day);
        expires = anchor + (long) ((30 + u2 * 150) * day);
        break;
      case REDEEMED:
        issued = anchor - (long) ((5 + u * 75) * day);
        expires = issued + 120 * day;
        redeemed = issued + (long) (u2 * (Math.min(expires, anchor) - issued));
        break;
      case EXPIRED:
        issued = anchor - (long) ((40 + u * 40) * day);
        expires = issued + 30 * day;
        break;
      default:
        issued = anchor - (long) ((1 + u * 79) * day);
        expires = issued + 90 * day;
        break;
    }
    return new long[] {issued, expires, redeemed};
  }

  private void voucher(long v, CopyWriter w) throws SQLException {
    long g = model.campaignOfVoucher(v);
    long b = model.businessOf(g);
    DataModel.VoucherState state = model.voucherState(v);
    long[] times = voucherTimes(v, state);
    long h = Mix.hash(model.seed(), DataModel.P_VOUCHER, v, 1);
    w.row(10);
    w.id(Entity.VOUCHER, v);
    w.id(Entity.CAMPAIGN, g);
    w.id(Entity.BUSINESS, b);
    if (Mix.unit(h) < 0.8) {
      w.id(Entity.USER, model.activeUserOf(b, Mix.mix64(h)));
    } else {
      w.nul();
    }
    w.ascii(model.voucherCode(v));
    w.ascii(state.sql());
    w.integer(AMOUNTS[Mix.below(Mix.mix64(h + 1), AMOUNTS.length)]);
    w.timestamp(times[0]);
    w.timestamp(times[1]);
    if (times[2] == Long.MIN_VALUE) {
      w.nul();
    } else {
      w.timestamp(times[2]);
    }
  }

  private void redemption(long v, CopyWriter w) throws SQLException {
    DataModel.VoucherState state = model.voucherState(v);
    if (state != DataModel.VoucherState.REDEEMED) {
      return;
    }
    long b = model.businessOf(model.campaignOfVoucher(v));
    long h = Mix.hash(model.seed(), DataModel.P_VOUCHER, v, 2);
    w.row(5);
    w.id(Entity.VOUCHER, v);
    w.id(Entity.VOUCHER, v);
    w.id(Entity.STATION, model.stationOf(b, h));
    w.id(Entity.USER, model.activeUserOf(b, Mix.mix64(h)));
    w.timestamp(voucherTimes(v, state)[2]);
  }

  // ------------------------------------------------------------------ plumbing

  private interface SimpleEmitter {
    void emit(long unit, CopyWriter w) throws SQLException;
  }

  private interface Emitter {
    void emit(long unit, CopyWriter w, byte[] scratch) throws SQLException;
  }

  private static Source simple(long units, SimpleEmitter e) {
    return simple(units, units, e);
  }

  private static Source simple(long units, long rows, SimpleEmitter e) {
    return source(units, rows, (unit, w, scratch) -> e.emit(unit, w));
  }

  private static Source source(long units, long rows, Emitter e) {
    return new Source() {
      @Override
      public long units() {
        return units;
      }

      @Override
      public long plannedRows() {
        return rows;
      }

      @Override
      public void emit(long unit, CopyWriter w, byte[] scratch) throws SQLException {
        e.emit(unit, w, scratch);
      }
    };
  }
}
