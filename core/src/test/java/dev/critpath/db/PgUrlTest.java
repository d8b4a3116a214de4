package dev.critpath.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgUrlTest {

  @Test
  void parsesSupabasePoolerUrlWithEncodedPassword() {
    ConnectionSpec spec =
        PgUrl.parse(
            "postgresql://postgres.abcdefgh:p%40ss%2Fw0rd@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");
    assertThat(spec.host()).isEqualTo("aws-0-eu-central-1.pooler.supabase.com");
    assertThat(spec.port()).isEqualTo(6543);
    assertThat(spec.user()).isEqualTo("postgres.abcdefgh");
    assertThat(spec.password()).isEqualTo("p@ss/w0rd");
    assertThat(spec.database()).isEqualTo("postgres");
    assertThat(spec.params()).containsEntry("sslmode", "require");
    assertThat(spec.jdbcUrl())
        .isEqualTo(
            "jdbc:postgresql://aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");
  }

  @Test
  void passwordNeverShowsInUrlOrDisplay() {
    ConnectionSpec spec = PgUrl.parse("postgres://app:hunter2secret@db.example.com/app");
    assertThat(spec.display()).isEqualTo("postgresql://app@db.example.com:5432/app");
    assertThat(spec.jdbcUrl()).doesNotContain("hunter2secret");
    assertThat(spec.toString()).doesNotContain("hunter2secret");
    assertThat(spec.credentials().getProperty("password")).isEqualTo("hunter2secret");
  }

  @Test
  void acceptsUnencodedAtSignInPassword() {
    ConnectionSpec spec = PgUrl.parse("postgresql://u:pa@ss@localhost:5433/d");
    assertThat(spec.password()).isEqualTo("pa@ss");
    assertThat(spec.port()).isEqualTo(5433);
  }

  @Test
  void parsesJdbcUrlWithCredentialsInQuery() {
    ConnectionSpec spec =
        PgUrl.parse(
            "jdbc:postgresql://127.0.0.1:5432/test?user=bob&password=s3cret&connect_timeout=3");
    assertThat(spec.user()).isEqualTo("bob");
    assertThat(spec.password()).isEqualTo("s3cret");
    assertThat(spec.params()).containsEntry("connectTimeout", "3").doesNotContainKey("password");
  }

  @Test
  void parsesIpv6Host() {
    ConnectionSpec spec = PgUrl.parse("postgresql://u@[::1]:6000/db");
    assertThat(spec.host()).isEqualTo("::1");
    assertThat(spec.jdbcUrl()).startsWith("jdbc:postgresql://[::1]:6000/db");
  }

  @Test
  void readsLibpqEnvironment() {
    ConnectionSpec spec =
        PgUrl.fromEnvironment(
            Map.of(
                "PGHOST", "db.internal",
                "PGPORT", "6432",
                "PGUSER", "alice",
                "PGPASSWORD", "pw-from-env",
                "PGDATABASE", "shop",
                "PGSSLMODE", "verify-full"));
    assertThat(spec.display()).isEqualTo("postgresql://alice@db.internal:6432/shop");
    assertThat(spec.password()).isEqualTo("pw-from-env");
    assertThat(spec.params()).containsEntry("sslmode", "verify-full");
  }

  @Test
  void passwordAloneDoesNotSelectAServer() {
    assertThat(PgUrl.fromEnvironment(Map.of("PGPASSWORD", "x"))).isNull();
  }

  @Test
  void rejectsUnknownSchemeWithoutLeakingPassword() {
    assertThatThrownBy(() -> PgUrl.parse("mysql://root:topsecretpw@host/db"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown scheme")
        .hasMessageContaining("expected postgresql://")
        .hasMessageNotContaining("topsecretpw");
  }

  @Test
  void rejectsBadPort() {
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u@host:99999/db"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("port '99999'");
  }
}
