package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Pooler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkConfigTest {

  @Test
  void theConnectionTravelsInAFileOnlyTheOwnerCanRead(@TempDir Path dir) throws Exception {
    ConnectionSpec spec =
        new ConnectionSpec(
            "db.example", 5432, "app", "bench", "s3cret-pw", Map.of("sslmode", "require"));
    ForkConfig config =
        ForkConfig.of(
            spec,
            1000,
            List.of("builtin"),
            7,
            Map.of("q/rls_on", 42L),
            "extensions",
            dir,
            new Pooler(Pooler.Mode.TRANSACTION, "--pooler transaction", false, "test"));
    Path file = config.writePrivate(dir);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String previous = System.getProperty(ForkConfig.PROPERTY);
    System.setProperty(ForkConfig.PROPERTY, file.toString());
    try {
      ForkConfig read = ForkConfig.current();
      assertThat(read).isEqualTo(config);
      assertThat(read.spec().jdbcUrl()).doesNotContain("s3cret-pw");
      assertThat(read.toString()).doesNotContain("s3cret-pw");
    } finally {
      if (previous == null) {
        System.clearProperty(ForkConfig.PROPERTY);
      } else {
        System.setProperty(ForkConfig.PROPERTY, previous);
      }
    }
  }

  @Test
  void jmhJsonFilesMergeIntoOneArrayWithTheirEntriesUntouched(@TempDir Path dir) throws Exception {
    Path a =
        Files.writeString(dir.resolve("a.json"), "[\n    {\n        \"a\" : 1.0E-5\n    }\n]\n");
    Path b = Files.writeString(dir.resolve("b.json"), "[\n]\n");
    Path c =
        Files.writeString(dir.resolve("c.json"), "[\n    {\"c\" : \"NaN\"},\n    {\"d\":2}\n]");
    assertThat(JmhRuns.mergeJmhJson(List.of(a, b, c)))
        .isEqualTo(
            "[\n    {\n        \"a\" : 1.0E-5\n    },\n    {\"c\" : \"NaN\"},\n    {\"d\":2}\n]\n");
    assertThat(JmhRuns.mergeJmhJson(List.of(b))).isEqualTo("[\n]\n");
  }
}
