package dev.critpath.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.dataset.Ids;
import dev.critpath.db.Database;
import dev.critpath.db.RequestContext;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Samplers against real rows: related values stay together, hot keys dominate, runs repeat. */
class ParameterSourceTest {
  static final int USERS = 6;
  static final int CONVERSATIONS = 4;
  static Database db;

  static String user(int i) {
    return Ids.text(Ids.Entity.USER, i);
  }

  static String conv(int i) {
    return Ids.text(Ids.Entity.CONVERSATION, i);
  }

  @BeforeAll
  static void fixtures() {
    db = TestDatabases.migrated("catalog_params");
    String biz = Ids.text(Ids.Entity.BUSINESS, 1);
    StringBuilder sql = new StringBuilder();
    sql.append("INSERT INTO businesses (id, name) VALUES ('").append(biz).append("', 'B');\n");
    for (int u = 1; u <= USERS; u++) {
      sql.append(
          String.format(
              "INSERT INTO profiles (id, business_id, username, full_name, email)"
                  + " VALUES ('%s', '%s', 'u%d', 'U', 'u@x');%n"
                  + "INSERT INTO business_members (business_id, profile_id) VALUES ('%s', '%s');%n",
              user(u), biz, u, biz, user(u)));
    }
    for (int c = 1; c <= CONVERSATIONS; c++) {
      sql.append(
          String.format(
              "INSERT INTO conversations (id, business_id, participants, last_message_at)"
                  + " VALUES ('%s', '%s', ARRAY['%s', '%s']::uuid[], now());%n"
                  + "INSERT INTO conversation_participants (conversation_id, profile_id)"
                  + " VALUES ('%s', '%s'), ('%s', '%s');%n"
                  + "INSERT INTO messages (id, conversation_id, business_id, sender_id, content)"
                  + " VALUES ('%s', '%s', '%s', '%s', 'hello refund');%n",
              conv(c),
              biz,
              user(c),
              user(c + 1),
              conv(c),
              user(c),
              conv(c),
              user(c + 1),
              Ids.text(Ids.Entity.MESSAGE, c),
              conv(c),
              biz,
              user(c)));
    }
    DatasetSummary summary =
        new DatasetSummary(
            "fixture",
            7,
            "f",
            Instant.now(),
            Map.of("profiles", (long) USERS),
            Map.of(
                Ids.Entity.USER, (long) USERS,
                Ids.Entity.CONVERSATION, (long) CONVERSATIONS,
                Ids.Entity.BUSINESS, 1L),
            List.of(
                new DatasetSummary.SearchTerm("refund", "common", 0.5),
                new DatasetSummary.SearchTerm("zebra", "rare", 0.001)));
    sql.append("UPDATE critpath.marker SET dataset_summary = '")
        .append(Json.write(summary).replace("'", "''"))
        .append("'::jsonb;\n");
    TestDatabases.exec(db.spec(), sql.toString());
  }

  @AfterAll
  static void close() {
    db.close();
  }

  static CatalogQuery query(String... lines) {
    return QueryCatalog.parse("t.sql", String.join("\n", lines));
  }

  static ParameterSource prepare(CatalogQuery q) throws SQLException {
    try (Connection c = db.connect()) {
      return ParameterSource.prepare(q, c, DatasetSummaries.read(c).orElse(null));
    }
  }

  @Test
  void sampledRowsKeepTheirColumnsTogetherAndRepeatPerSeed() throws SQLException {
    CatalogQuery q =
        query(
            "-- name: t",
            "-- role: authenticated as :user_id",
            "-- param: conversation_id, user_id = sample(SELECT conversation_id, profile_id"
                + " FROM conversation_participants ORDER BY 1, 2) zipf 1.1",
            "SELECT count(*) FROM messages WHERE conversation_id = :conversation_id");
    ParameterSource source = prepare(q);
    Set<String> pairs = new HashSet<>();
    List<String> first = draw(source.sampler(42), 200);
    for (String pair : first) {
      pairs.add(pair);
    }
    assertThat(pairs).hasSizeGreaterThan(3); // never one key for every call
    for (String pair : pairs) {
      String[] p = pair.split("/");
      int c = (int) Ids.index(Ids.Entity.CONVERSATION, UUID.fromString(p[0]));
      int u = (int) Ids.index(Ids.Entity.USER, UUID.fromString(p[1]));
      assertThat(u).isBetween(c, c + 1); // a participant of that very conversation
    }
    assertThat(draw(source.sampler(42), 200)).isEqualTo(first);
    assertThat(draw(source.sampler(43), 200)).isNotEqualTo(first);
  }

  private static List<String> draw(ParamSampler s, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.next();
      out.add(s.value("conversation_id") + "/" + s.subject());
    }
    return out;
  }

  @Test
  void seededIdsFollowTheSkewAndBindAsUuids() throws SQLException {
    CatalogQuery q =
        query(
            "-- name: t",
            "-- role: authenticated as :user_id",
            "-- param: user_id = id(user) zipf 1.5",
            "-- param: term = term(common)",
            "SELECT count(*) FROM messages WHERE sender_id = :user_id AND content LIKE '%' || :term"
                + " || '%'");
    ParamSampler s = prepare(q).sampler(1);
    Map<Object, Integer> counts = new HashMap<>();
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      ParamBinding binding = ParamBinding.of(c, q.jdbcSql());
      try (PreparedStatement ps = c.prepareStatement(q.jdbcSql())) {
        for (int i = 0; i < 300; i++) {
          s.next();
          assertThat(s.value("term")).isEqualTo("refund");
          counts.merge(s.value("user_id"), 1, Integer::sum);
          RequestContext.apply(c, q.role().pgRole(), s.subject());
          s.bind(ps, binding);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
          }
          c.rollback();
        }
      }
    }
    assertThat(counts.keySet())
        .allMatch(
            id ->
                Ids.index(Ids.Entity.USER, (UUID) id) >= 1
                    && Ids.index(Ids.Entity.USER, (UUID) id) <= USERS);
    assertThat(counts.get(Ids.uuid(Ids.Entity.USER, 1)))
        .isGreaterThan(counts.getOrDefault(Ids.uuid(Ids.Entity.USER, USERS), 0) * 3);
  }

  @Test
  void problemsNameTheParameterLine() throws SQLException {
    CatalogQuery noRows =
        query("-- name: t", "-- param: x = sample(SELECT 1 WHERE false)", "SELECT :x::int");
    assertThatThrownBy(() -> prepare(noRows))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("t.sql:2: parameter x: the sample query returned no rows");
    CatalogQuery width = query("-- name: t", "-- param: x = sample(SELECT 1, 2)", "SELECT :x::int");
    assertThatThrownBy(() -> prepare(width))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(
            "t.sql:2: parameter x: the sample query returns 2 columns for 1 name");
    CatalogQuery broken =
        query("-- name: t", "-- param: x = sample(SELECT nope FROM nowhere)", "SELECT :x::int");
    assertThatThrownBy(() -> prepare(broken))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("t.sql:2: parameter x: the sample query failed")
        .hasMessageContaining("nowhere");
    CatalogQuery rare = query("-- name: t", "-- param: x = term(medium)", "SELECT :x");
    assertThatThrownBy(() -> prepare(rare))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("no search terms of selectivity [medium]");
    CatalogQuery ids = query("-- name: t", "-- param: x = id(user)", "SELECT :x");
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> ParameterSource.prepare(ids, c, null))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("t.sql:2: parameter x: id(user) needs a seeded dataset");
    }
  }

  @Test
  void listsUuidsAndIntegers() throws SQLException {
    CatalogQuery q =
        query(
            "-- name: t",
            "-- param: a = list('x', 'y')",
            "-- param: b = uuid()",
            "-- param: n = int(5, 7)",
            "SELECT :a, :b, :n");
    ParamSampler s = prepare(q).sampler(3);
    Set<Object> as = new HashSet<>();
    Set<Object> bs = new HashSet<>();
    Set<Object> ns = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      s.next();
      as.add(s.value("a"));
      bs.add(s.value("b"));
      ns.add(s.value("n"));
    }
    assertThat(as).containsExactlyInAnyOrder("x", "y");
    assertThat(bs).hasSize(100).allMatch(u -> ((UUID) u).version() == 4);
    assertThat(ns).containsExactlyInAnyOrder(5L, 6L, 7L);
  }

  @Test
  void seededIdsMatchTheDatasetContract() {
    for (long i : new long[] {1, 9, 10, 42, 123456789012L, 999_999_999_999L}) {
      for (Ids.Entity e : Ids.Entity.values()) {
        assertThat(ParameterSource.seededId(e.code, i)).isEqualTo(Ids.uuid(e, i));
      }
    }
  }

  @Test
  void zipfRanksFollowThePowerLaw() {
    Zipf z = new Zipf(1000, 1.1);
    SplittableRandom r = new SplittableRandom(5);
    int n = 200_000;
    int[] hits = new int[1001];
    for (int i = 0; i < n; i++) {
      long k = z.next(r);
      assertThat(k).isBetween(1L, 1000L);
      hits[(int) k]++;
    }
    double h = 0;
    for (int k = 1; k <= 1000; k++) {
      h += Math.pow(k, -1.1);
    }
    for (int k : new int[] {1, 2, 10}) {
      double expected = n * Math.pow(k, -1.1) / h;
      assertThat((double) hits[k])
          .isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(5));
    }
  }
}
