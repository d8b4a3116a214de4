package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

  @Test
  void aTerminalGetsOneRedrawnLineWithBarRateAndEta() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress p =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
    p.tableStarted("messages", 1_000);
    p.rows("messages", 500);
    p.indexStarted("messages", "messages_content_trgm_idx");
    Thread.sleep(600);
    p.tableLoaded("messages", 1_000, Duration.ofSeconds(2));
    p.finished();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("\r\033[K", "messages [############------------] 500/1,000", "ETA")
        .contains("index messages_content_trgm_idx (0s)")
        .contains("seed: messages", "1,000 rows in   2.00 s (500 rows/s)");
  }

  @Test
  void elsewherePlainLinesOnlyForWhatTookAWhile() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress p =
        new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    p.indexStarted("messages", "fast_idx");
    p.indexBuilt("messages", "fast_idx", Duration.ofMillis(20));
    p.indexStarted("messages", "slow_idx");
    p.indexBuilt("messages", "slow_idx", Duration.ofSeconds(3));
    p.analyzed("messages", Duration.ofSeconds(1));
    p.finished();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("index slow_idx", "vacuum analyze messages")
        .doesNotContain("fast_idx");
    assertThat(text).doesNotContain("\r");
  }

  @Test
  void ratesReadLikeNumbers() {
    assertThat(ConsoleProgress.human(950)).isEqualTo("950");
    assertThat(ConsoleProgress.human(217_946)).isEqualTo("218k");
    assertThat(ConsoleProgress.human(1_100_000)).isEqualTo("1.10M");
  }
}
