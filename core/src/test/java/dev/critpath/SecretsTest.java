package dev.critpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The masking rules on their own, each with the text that used to leak. */
class SecretsTest {

  @Test
  void overlappingSecretsAreMaskedLongestFirst() {
    Secrets.register("hunter2hunter");
    Secrets.register("hunter2hunter2-and-more");
    assertThat(Secrets.redact("x hunter2hunter2-and-more y")).isEqualTo("x *** y");
  }

  @Test
  void aPasswordWithSlashQuestionMarkOrAtIsMaskedWhole() {
    assertThat(Secrets.redact("postgresql://u:pa/ss?wo@rd@host/db"))
        .isEqualTo("postgresql://u:***@host/db");
    assertThat(Secrets.redact("postgresql:/u:zz9Qx1@h/db")).doesNotContain("zz9Qx1");
  }

  @Test
  void aUrlThatLostItsAtShowsNoPassword() {
    assertThat(Secrets.redact("no run at postgresql:/u:Tq8vLm2/db"))
        .isEqualTo("no run at postgresql:/u:***/db");
    assertThat(Secrets.redact("postgresql://u@127.0.0.1:5432/db"))
        .isEqualTo("postgresql://u@127.0.0.1:5432/db");
    assertThat(Secrets.redact("postgresql://u@[::1]:5432/db"))
        .isEqualTo("postgresql://u@[::1]:5432/db");
  }

  @Test
  void credentialsAreRegisteredBeforeAnyParsing() {
    Secrets.registerUrlCredentials("u:Rr7w&x=y@h");
    assertThat(Secrets.redact("port 'Rr7w&x=y' is bad")).isEqualTo("port '***' is bad");
    Secrets.registerEnvironment(Map.of("MY_API_TOKEN", "tok-55aa66bb", "HOME", "/root"));
    assertThat(Secrets.redact("token tok-55aa66bb home /root")).isEqualTo("token *** home /root");
  }

  @Test
  void theWordPasswordInHelpTextStays() {
    assertThat(Secrets.redact("expected postgresql://user:password@host:5432/dbname"))
        .isEqualTo("expected postgresql://user:password@host:5432/dbname");
  }
}
