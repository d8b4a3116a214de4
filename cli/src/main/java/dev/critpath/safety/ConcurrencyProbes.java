package dev.critpath.safety;

import com.zaxxer.hikari.HikariDataSource;
import dev.critpath.db.Database;
import dev.critpath.db.RequestContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Races the reference workload's write paths against themselves and checks the promises they make:
 * a voucher is redeemed exactly once, an idempotency key replays its first answer, and retried
 * sends neither lose nor duplicate a message. The probes run on fixtures of their own (random ids,
 * outside the seeded id scheme) that are deleted afterwards, so seeded data is never touched.
 */
public final class ConcurrencyProbes {
  /** Concurrent callers per race; more than the pool of a typical app server. */
  public static final int RACERS = 16;

  /** Distinct messages in the send probe; each is sent twice (the retry) from different threads. */
  public static final int MESSAGES = 50;

  /** Vouchers in the issuance probe's batch. */
  public static final int ISSUED_PER_BATCH = 100;

  private final Database db;
  private final UUID business = UUID.randomUUID();
  private final UUID sender = UUID.randomUUID();
  private final UUID receiver = UUID.randomUUID();
  private final UUID conversation = UUID.randomUUID();
  private final UUID station = UUID.randomUUID();
  private final UUID campaign = UUID.randomUUID();
  private final String tag = "critpath-probe-" + UUID.randomUUID().toString().substring(0, 8);

  private ConcurrencyProbes(Database db) {
    this.db = db;
  }

  /** Runs every probe and removes its fixtures, whatever happens. */
  public static List<Invariant> run(Database db) throws SQLException {
    ConcurrencyProbes probes = new ConcurrencyProbes(db);
    probes.createFixtures();
    try (HikariDataSource pool = db.pool(RACERS)) {
      return List.of(
          probes.redeemIsExactlyOnce(pool),
          probes.idempotencyKeyReplays(pool),
          probes.retriedSendsNeitherLoseNorDuplicate(pool),
          probes.issuanceReplaysOneBatch(pool));
    } finally {
      probes.dropFixtures();
    }
  }

  private Invariant redeemIsExactlyOnce(HikariDataSource pool) throws SQLException {
    String code = voucher("race");
    List<String> statuses =
        race(
            pool,
            RACERS,
            i -> scalar(pool, sender, "SELECT redeem_voucher(?, ?) ->> 'status'", code, station));
    long redeemed = statuses.stream().filter("redeemed"::equals).count();
    long refused = statuses.stream().filter("already_redeemed"::equals).count();
    long rows =
        count(
            "SELECT count(*) FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.code = ?",
            code);
    boolean held = redeemed == 1 && refused == RACERS - 1 && rows == 1;
    return new Invariant(
        "voucher redeemed exactly once",
        held,
        RACERS
            + " concurrent redeemers: "
            + redeemed
            + " redeemed, "
            + refused
            + " refused cleanly, "
            + rows
            + " redemption row(s)");
  }

  private Invariant idempotencyKeyReplays(HikariDataSource pool) throws SQLException {
    String code = voucher("idem");
    String key = tag + "-key";
    List<String> answers =
        race(
            pool,
            2,
            i -> scalar(pool, sender, "SELECT redeem_voucher(?, ?, ?)::text", code, station, key));
    long replayed = answers.stream().filter(a -> a.contains("\"replayed\": true")).count();
    boolean sameStatus = answers.stream().allMatch(a -> a.contains("\"status\": \"redeemed\""));
    long rows =
        count(
            "SELECT count(*) FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.code = ?",
            code);
    boolean held = sameStatus && replayed == 1 && rows == 1;
    return new Invariant(
        "idempotency key replays the first answer",
        held,
        "2 concurrent calls with one key: both answered 'redeemed'="
            + sameStatus
            + ", "
            + replayed
            + " replayed, "
            + rows
            + " redemption row(s)");
  }

  /** Seed 004's admin issuance: concurrent retries of one batch issue it once. */
  private Invariant issuanceReplaysOneBatch(HikariDataSource pool) throws SQLException {
    String key = tag + "-issue";
    List<String> answers =
        race(
            pool,
            RACERS,
            i ->
                scalar(
                    pool,
                    "service_role",
                    null,
                    "SELECT issue_vouchers(?, ?, 100, ?)::text",
                    campaign,
                    ISSUED_PER_BATCH,
                    key));
    long first = answers.stream().filter(a -> a.contains("\"replayed\": false")).count();
    long replayed = answers.stream().filter(a -> a.contains("\"replayed\": true")).count();
    long vouchers = count("SELECT count(*) FROM vouchers WHERE issuance_key = ?", key);
    boolean held = first == 1 && replayed == RACERS - 1 && vouchers == ISSUED_PER_BATCH;
    return new Invariant(
        "a replayed issuance issues nothing twice",
        held,
        RACERS
            + " concurrent calls with one key for "
            + ISSUED_PER_BATCH
            + " vouchers: "
            + first
            + " issued, "
            + replayed
            + " replayed, "
            + vouchers
            + " voucher(s) with the key");
  }

  private Invariant retriedSendsNeitherLoseNorDuplicate(HikariDataSource pool) throws SQLException {
    List<UUID> clientIds = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      clientIds.add(UUID.randomUUID());
    }
    // Each message is sent twice: the original and a retry racing it, as a flaky network would.
    race(
        pool,
        MESSAGES * 2,
        i ->
            scalar(
                pool,
                sender,
                "SELECT message_id::text FROM send_message(?, ?, 'text', ?)",
                conversation,
                "probe " + (i % MESSAGES),
                clientIds.get(i % MESSAGES)));
    long stored = count("SELECT count(*) FROM messages WHERE conversation_id = ?", conversation);
    long distinct =
        count(
            "SELECT count(DISTINCT client_id) FROM messages WHERE conversation_id = ?",
            conversation);
    long unread =
        count(
            "SELECT unread_count FROM conversation_participants WHERE conversation_id = ? AND profile_id = ?",
            conversation,
            receiver);
    boolean held = stored == MESSAGES && distinct == MESSAGES && unread == MESSAGES;
    return new Invariant(
        "send_message neither loses nor duplicates",
        held,
        MESSAGES
            + " messages sent twice each ("
            + MESSAGES * 2
            + " concurrent calls): "
            + stored
            + " stored, "
            + distinct
            + " distinct, receiver's unread count "
            + unread);
  }

  private interface Call {
    String run(int index) throws Exception;
  }

  /** Starts {@code n} calls at the same instant and returns their answers. */
  private static List<String> race(HikariDataSource pool, int n, Call call) throws SQLException {
    ExecutorService threads = Executors.newFixedThreadPool(Math.min(n, RACERS));
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<String> task =
            () -> {
              start.await();
              return call.run(index);
            };
        futures.add(threads.submit(task));
      }
      start.countDown();
      List<String> answers = new ArrayList<>();
      for (Future<String> f : futures) {
        answers.add(f.get());
      }
      return answers;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while racing probes", e);
    } catch (ExecutionException e) {
      throw new SQLException("probe call failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      threads.shutdownNow();
    }
  }

  /** One call as {@code user} in its own committed transaction, as an API request would make it. */
  private static String scalar(HikariDataSource pool, UUID user, String sql, Object... args)
      throws SQLException {
    return scalar(pool, "authenticated", user, sql, args);
  }

  /** The same as {@code role} (service_role for the admin's paths), {@code user} may be null. */
  private static String scalar(
      HikariDataSource pool, String role, UUID user, String sql, Object... args)
      throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        RequestContext.apply(c, role, user == null ? null : user.toString());
        String answer;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
          }
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            answer = rs.getString(1);
          }
        }
        c.commit();
        return answer;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private String voucher(String purpose) throws SQLException {
    String code = (tag + "-" + purpose).toUpperCase();
    exec(
        "INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at)"
            + " VALUES (gen_random_uuid(), ?, ?, ?, 100, now() + interval '1 hour')",
        campaign,
        business,
        code);
    return code;
  }

  private void createFixtures() throws SQLException {
    exec("INSERT INTO businesses (id, name) VALUES (?, ?)", business, tag);
    exec(
        "INSERT INTO profiles (id, business_id, username, full_name, email) VALUES (?, ?, ?, 'probe', 'probe@critpath.invalid'), (?, ?, ?, 'probe', 'probe@critpath.invalid')",
        sender,
        business,
        tag + "-s",
        receiver,
        business,
        tag + "-r");
    exec(
        "INSERT INTO business_members (business_id, profile_id) VALUES (?, ?), (?, ?)",
        business,
        sender,
        business,
        receiver);
    exec(
        "INSERT INTO conversations (id, business_id, participants) VALUES (?, ?, ARRAY[?, ?]::uuid[])",
        conversation,
        business,
        sender,
        receiver);
    exec(
        "INSERT INTO conversation_participants (conversation_id, profile_id) VALUES (?, ?), (?, ?)",
        conversation,
        sender,
        conversation,
        receiver);
    exec("INSERT INTO stations (id, business_id, name) VALUES (?, ?, ?)", station, business, tag);
    exec(
        "INSERT INTO campaigns (id, business_id, name, status) VALUES (?, ?, ?, 'active')",
        campaign,
        business,
        tag);
  }

  private void dropFixtures() throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      run(c, "DELETE FROM idempotency_keys WHERE key LIKE ?", tag + "%");
      run(c, "DELETE FROM redemptions WHERE station_id = ?", station);
      run(c, "DELETE FROM vouchers WHERE campaign_id = ?", campaign);
      run(c, "DELETE FROM campaigns WHERE id = ?", campaign);
      run(c, "DELETE FROM stations WHERE id = ?", station);
      run(
          c,
          "DELETE FROM conversations WHERE id = ?",
          conversation); // cascades messages, participants
      run(c, "DELETE FROM business_members WHERE business_id = ?", business);
      run(c, "DELETE FROM profiles WHERE business_id = ?", business);
      run(c, "DELETE FROM businesses WHERE id = ?", business);
      c.commit();
    }
  }

  private void exec(String sql, Object... args) throws SQLException {
    try (Connection c = db.connect()) {
      run(c, sql, args);
    }
  }

  private long count(String sql, Object... args) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static void run(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }
}
