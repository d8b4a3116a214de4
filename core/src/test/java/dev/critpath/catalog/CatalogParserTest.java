package dev.critpath.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.dataset.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogParserTest {

  static final String GOOD =
      String.join(
          "\n",
          "-- name: message_fetch",
          "-- about: latest 50 messages",
          "--   of one conversation",
          "-- role: authenticated as :user_id",
          "-- param: conversation_id, user_id = sample(SELECT conversation_id, profile_id",
          "--     FROM conversation_participants ORDER BY 1, 2) zipf 1.1",
          "-- param: term = list('it''s', 'b', 3)",
          "-- expect: uses index messages_conversation_created_idx",
          "-- expect: no seq scan on messages",
          "-- target: p95 < 50ms",
          "-- target: mean <= 0.5 s (seed 002, Testing Checklist: an example row)",
          "-- A free comment line for readers.",
          "SELECT id, created_at::text, 'a :not_a_param ?' AS lit, content ? 'x'",
          "FROM messages -- :nor_this",
          "WHERE conversation_id = :conversation_id AND content ILIKE :term",
          "ORDER BY created_at DESC LIMIT 50;",
          "");

  @Test
  void readsEveryHeaderField() {
    CatalogQuery q = QueryCatalog.parse("queries/message_fetch.sql", GOOD);
    assertThat(q.name()).isEqualTo("message_fetch");
    assertThat(q.about()).isEqualTo("latest 50 messages of one conversation");
    assertThat(q.role()).isEqualTo(Role.AUTHENTICATED);
    assertThat(q.subjectParam()).isEqualTo("user_id");
    assertThat(q.paramNames()).containsExactly("conversation_id", "user_id", "term");
    SamplerSpec.Sample sample = (SamplerSpec.Sample) q.params().get(0).spec();
    assertThat(sample.sql())
        .isEqualTo(
            "SELECT conversation_id, profile_id FROM conversation_participants ORDER BY 1, 2");
    assertThat(sample.distribution()).isEqualTo(SamplerSpec.Distribution.zipf(1.1));
    assertThat(((SamplerSpec.OneOf) q.params().get(1).spec()).values())
        .containsExactly("it's", "b", 3L);
    assertThat(q.expectations())
        .extracting(Expectation::text, Expectation::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("uses index messages_conversation_created_idx", 8),
            org.assertj.core.groups.Tuple.tuple("no seq scan on messages", 9));
    assertThat(q.targets()).hasSize(2);
    assertThat(q.targets().get(0).metric()).isEqualTo(Target.Metric.P95);
    assertThat(q.targets().get(0).thresholdMillis()).isEqualTo(50.0);
    assertThat(q.targets().get(1).metric()).isEqualTo(Target.Metric.MEAN);
    assertThat(q.targets().get(1).thresholdMillis()).isEqualTo(500.0);
    assertThat(q.targets().get(1).text())
        .as("the origin note stays, so reports name the seed row")
        .isEqualTo("mean <= 0.5 s (seed 002, Testing Checklist: an example row)");
    assertThat(q.singleCaller()).as("no concurrency header: every throughput level").isFalse();
    assertThat(
            QueryCatalog.parse("x.sql", "-- name: a\n-- concurrency: single\nSELECT 1")
                .singleCaller())
        .isTrue();
    assertThat(q.statement().numberedSql())
        .as("PREPARE's form: $n per distinct name, literals, comments and the ? operator kept")
        .contains("'a :not_a_param ?' AS lit, content ? 'x'")
        .contains("-- :nor_this")
        .contains("conversation_id = $1 AND content ILIKE $2");
    assertThat(q.targets().get(1).holds(500.0)).isTrue();
    assertThat(q.targets().get(0).holds(50.0)).isFalse();
    assertThat(q.write()).isEqualTo(WriteMode.READ_ONLY);
    assertThat(q.variants()).containsExactly(Variant.RLS_ON, Variant.RLS_OFF);
    assertThat(q.statement().placeholders()).containsExactly("conversation_id", "term");
    assertThat(q.statement().lines()).containsExactly(15, 15);
    assertThat(q.jdbcSql())
        .isEqualTo(
            "SELECT id, created_at::text, 'a :not_a_param ?' AS lit, content ?? 'x'\n"
                + "FROM messages -- :nor_this\n"
                + "WHERE conversation_id = ? AND content ILIKE ?\n"
                + "ORDER BY created_at DESC LIMIT 50");
  }

  @Test
  void defaultsForASimpleOwnerQuery() {
    CatalogQuery q =
        QueryCatalog.parse(
            "x.sql",
            "-- name: ids\n-- param: n = int(1, 10)\nSELECT g FROM generate_series(1, :n) g\n");
    assertThat(q.role()).isEqualTo(Role.OWNER);
    assertThat(q.about()).isEmpty();
    assertThat(q.variants()).containsExactly(Variant.RLS_ON);
    assertThat(q.params().get(0).spec())
        .isEqualTo(new SamplerSpec.IntRange(1, 10, SamplerSpec.Distribution.UNIFORM));
  }

  @Test
  void writesAndVariants() {
    CatalogQuery q =
        QueryCatalog.parse(
            "w.sql",
            String.join(
                "\n",
                "-- name: w",
                "-- role: service_role",
                "-- param: id = id(conversation) zipf 1.2",
                "-- param: k = uuid()",
                "-- write: cleanup",
                "-- cleanup: DELETE FROM t WHERE note = 'bench';",
                "-- variants: rls_off, plain",
                "INSERT INTO t (id, k, note) VALUES (:id, :k, 'bench')"));
    assertThat(q.write()).isEqualTo(WriteMode.CLEANUP);
    assertThat(q.cleanupSql()).isEqualTo("DELETE FROM t WHERE note = 'bench'");
    assertThat(q.variants()).containsExactly(Variant.RLS_OFF, Variant.PLAIN);
    assertThat(q.mainVariant()).isEqualTo(Variant.RLS_OFF);
    assertThat(q.params().get(0).spec())
        .isEqualTo(
            new SamplerSpec.EntityId(Ids.Entity.CONVERSATION, SamplerSpec.Distribution.zipf(1.2)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "unknown header | -- name: a\\n-- owner: me\\nSELECT 1 | x.sql:2: unknown header 'owner'",
        "missing colon | -- name: a\\n-- target p95 < 5ms\\nSELECT 1 | x.sql:2: missing ':' after"
            + " 'target'",
        "no name | -- about: x\\nSELECT 1 | x.sql:1: no '-- name:' header",
        "bad name | -- name: Message-Fetch\\nSELECT 1 | x.sql:1: query name 'Message-Fetch'",
        "name twice | -- name: a\\n-- name: b\\nSELECT 1 | x.sql:2: 'name:' given twice (first at"
            + " line 1)",
        "no sql | -- name: a\\n-- about: b\\n | x.sql:3: no SQL statement after the header",
        "unknown param | -- name: a\\n-- param: b = int(1, 2)\\nSELECT :b,\\n  :c | x.sql:4: unknown"
            + " parameter :c (declare it with '-- param: c = ...'; declared: b)",
        "unused param | -- name: a\\n-- param: b = int(1, 2)\\nSELECT 1 | x.sql:2: parameter 'b' is"
            + " declared but the SQL never uses :b",
        "two statements | -- name: a\\nSELECT 1;\\nSELECT 2; | x.sql:2: a second SQL statement",
        "bad concurrency | -- name: a\\n-- concurrency: many\\nSELECT 1 | x.sql:2: concurrency must be"
            + " 'levels'",
        "bad target | -- name: a\\n-- target: fast\\nSELECT 1 | x.sql:2: cannot read target 'fast'",
        "bad metric | -- name: a\\n-- target: p42 < 5ms\\nSELECT 1 | x.sql:2: unknown target metric"
            + " 'p42'",
        "bad sampler | -- name: a\\n-- param: b = random(1)\\nSELECT :b | x.sql:2: unknown sampler"
            + " 'random(...)'",
        "bad entity | -- name: a\\n-- param: b = id(customer)\\nSELECT :b | x.sql:2: unknown entity"
            + " 'customer'",
        "bad distribution | -- name: a\\n-- param: b = id(user) pareto\\nSELECT :b | x.sql:2:"
            + " unexpected 'pareto'",
        "no subject | -- name: a\\n-- role: authenticated\\nSELECT 1 | x.sql:2: role authenticated"
            + " needs the parameter",
        "unknown subject | -- name: a\\n-- role: authenticated as :u\\nSELECT 1 | x.sql:2: unknown"
            + " parameter :u",
        "bad role | -- name: a\\n-- role: admin\\nSELECT 1 | x.sql:2: cannot read role 'admin'",
        "bad write | -- name: a\\n-- write: yes\\nSELECT 1 | x.sql:2: write must be 'rollback' or"
            + " 'cleanup'",
        "cleanup missing | -- name: a\\n-- write: cleanup\\nSELECT 1 | x.sql:2: 'write: cleanup'"
            + " needs a '-- cleanup: SQL' line",
        "plain rollback | -- name: a\\n-- write: rollback\\n-- variants: plain\\nSELECT 1 | x.sql:3:"
            + " variant plain runs in autocommit",
        "two names | -- name: a\\n-- param: b, c = int(1, 2)\\nSELECT :b, :c | x.sql:2: only"
            + " sample(...) binds several parameters",
        "empty value | -- name: a\\n-- about:\\nSELECT 1 | x.sql:2: 'about:' has no value",
        "sample params | -- name: a\\n-- param: b = sample(SELECT :x)\\nSELECT :b | x.sql:2: the"
            + " sample query cannot use parameters",
      })
  void malformedFilesNameTheirLine(String title, String content, String message) {
    assertThatThrownBy(() -> QueryCatalog.parse("x.sql", content.replace("\\n", "\n")))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void namedSqlLeavesQuotedTextAlone() throws SyntaxProblem {
    NamedSql s =
        NamedSql.parse(
            "SELECT $$ :a $$, $tag$ :b; $tag$, E'\\' :c', \"col:d\", /* :e /* nested */ */ :f,"
                + " arr[1:2], x::int, :g::uuid;\n-- trailing comment\n",
            1);
    assertThat(s.placeholders()).containsExactly("f", "g");
    assertThat(s.jdbcSql()).endsWith("?, arr[1:2], x::int, ?::uuid");
  }

  @Test
  void directoryCatalogsReportDuplicatesAndEmptiness(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> QueryCatalog.load(dir))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> QueryCatalog.load(dir.resolve("nope")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("no such directory");
    Files.writeString(dir.resolve("a.sql"), "-- name: message_fetch\nSELECT 1\n");
    assertThatThrownBy(() -> QueryCatalog.load(List.of(QueryCatalog.BUILTIN, dir.toString())))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("a.sql: query name 'message_fetch' is already used by")
        .hasMessageContaining("queries/message_fetch.sql");
    Files.writeString(dir.resolve("a.sql"), "-- name: mine\nSELECT 1\n");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    QueryCatalog both = QueryCatalog.load(List.of(QueryCatalog.BUILTIN, dir.toString()));
    assertThat(both.names()).contains("message_fetch", "mine");
    assertThat(QueryCatalog.load(dir).names()).containsExactly("mine");
  }

  @Test
  void unknownNamesListTheCatalog() {
    QueryCatalog catalog = QueryCatalog.builtin();
    assertThatThrownBy(() -> catalog.select(List.of("message_fetch", "nope")))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown query 'nope'")
        .hasMessageContaining("message_fetch");
    assertThat(catalog.select(List.of("voucher_redeem", "message_fetch")))
        .extracting(CatalogQuery::name)
        .containsExactly("message_fetch", "voucher_redeem");
  }
}
