package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever malformed URL holds a password, and whichever command it is given to, the
 * password shows nowhere: not on stdout or stderr, not in the results directory, not in any file
 * written to the temporary directory meanwhile. Random URLs from a fixed seed (the same ones every
 * run), passwords with the characters that break naive parsing ('/', '?', '@', ':', '%', '&').
 */
class SecretFuzzTest {
  private static final long SEED = 20261205L;
  private static final int CASES = 160;
  private static final String SPECIALS = "/?@:#%&=+!$;,~*";
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** Where a URL goes: the option of a database command, or a path argument. */
  private static final List<BiFunction<String, String, String[]>> PLACES =
      List.of(
          (url, results) -> new String[] {"doctor", "--db-url", url},
          (url, results) -> new String[] {"migrate", "--db-url=" + url},
          (url, results) -> new String[] {"seed", "--db-url", url, "--out", results},
          (url, results) -> new String[] {"inspect", "--db-url", url, "--results", results},
          (url, results) ->
              new String[] {"explain", "--db-url", url, "--results", results, "--no-what-if"},
          (url, results) -> new String[] {"bench", "--db-url", url, "--results", results},
          (url, results) -> new String[] {"realtime", "--db-url", url, "--results", results},
          (url, results) ->
              new String[] {"http", "--db-url", url, "--results", results, "edge-functions"},
          (url, results) -> new String[] {"--db-url", url, "--results", results},
          (url, results) -> new String[] {"report", url},
          (url, results) -> new String[] {"compare", url, url},
          (url, results) -> new String[] {"doctor", url});

  @Test
  void noPasswordInAnyOutputWhateverTheUrl(@TempDir Path tmp) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String host = "127.0.0.1:" + closedPort;
    Instant start = Instant.now().minusSeconds(1);
    Random random = new Random(SEED);
    List<String> leaks = new ArrayList<>();
    List<String> passwords = new ArrayList<>();
    int exitTwo = 0;
    for (int i = 0; i < CASES; i++) {
      String password = password(random);
      passwords.add(password);
      String url = malformed(random, password, host);
      Path results = tmp.resolve("results-" + i);
      String[] args = PLACES.get(random.nextInt(PLACES.size())).apply(url, results.toString());
      CliRun run = CliRun.of(args);
      if (run.exitCode() == 2) {
        exitTwo++;
      }
      for (String where : List.of("stdout", "stderr")) {
        String text = where.equals("stdout") ? run.out() : run.err();
        for (String piece : pieces(password)) {
          if (text.contains(piece)) {
            leaks.add(String.join(" ", args).replace(piece, "<" + piece + ">") + " -> " + where);
          }
        }
      }
    }
    assertThat(exitTwo).as("every case is a usage or connection error").isEqualTo(CASES);
    leaks.addAll(filesHolding(tmp, passwords, Instant.MIN));
    leaks.addAll(filesHolding(Path.of(System.getProperty("java.io.tmpdir")), passwords, start));
    assertThat(leaks).as("where a password showed").isEmpty();
  }

  /** 10-20 characters: runs of letters and digits joined by the characters URLs treat specially. */
  private static String password(Random random) {
    StringBuilder p = new StringBuilder();
    while (p.length() < 10 + random.nextInt(10)) {
      for (int i = 0; i < 6; i++) {
        p.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
      }
      if (random.nextBoolean()) {
        p.append(SPECIALS.charAt(random.nextInt(SPECIALS.length())));
      }
    }
    return p.toString();
  }

  /** The password, its encoded form and every run of 6+ letters and digits in it. */
  private static List<String> pieces(String password) {
    List<String> pieces = new ArrayList<>();
    pieces.add(password);
    pieces.add(URLEncoder.encode(password, StandardCharsets.UTF_8));
    for (String run : password.split("[^A-Za-z0-9]+")) {
      if (run.length() >= 6) {
        pieces.add(run);
      }
    }
    return pieces;
  }

  private static String malformed(Random random, String p, String host) {
    String encoded = URLEncoder.encode(p, StandardCharsets.UTF_8);
    String noAt = p.replace("@", ""); // without a host, an '@' would name one to look up
    List<String> forms =
        List.of(
            "postgresql://u:" + p + "@" + host + "/db",
            "postgresql:/u:" + p + "@" + host + "/db",
            "postgres://u:" + p + "@" + host,
            "jdbc:postgresql://" + host + "/db?user=u&password=" + p,
            "jdbc:postgresql://u:" + p + "@" + host + "/db",
            "mysql://u:" + p + "@" + host + "/db",
            "postgresql://u:" + p + "@127.0.0.1:99999/db",
            "postgresql://u:" + p + "@[::1/db",
            "postgresql://u:" + p + "@h1,h2/db",
            "postgresql://u:" + p + "@" + host + "/db?sslmode",
            "postgresql://u:" + noAt,
            "postgresql://u:" + noAt + "/db",
            "postgresql://u:" + p + "@@" + host + "/db",
            "postgresql://:" + p + "@" + host + "/db",
            "  postgresql://u:" + p + "@" + host + "/db  ",
            "postgresql://u:" + p + "@" + host + "/db?password=" + p + "x",
            "postgresql://u:" + encoded + "@" + host + "/db",
            "u:" + p + "@" + host + "/db",
            "postgresql://u:" + p + "@" + host + "/db#fragment",
            "postgresql://u:" + p + "@" + host + ":5432/db");
    return forms.get(random.nextInt(forms.size()));
  }

  /** Files under {@code root} changed since {@code since} that hold any piece of a password. */
  private static List<String> filesHolding(Path root, List<String> passwords, Instant since)
      throws IOException {
    List<String> found = new ArrayList<>();
    FileTime after = FileTime.from(since.equals(Instant.MIN) ? Instant.EPOCH : since);
    Files.walkFileTree(
        root,
        java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
        5,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()
                || attrs.size() > 4_000_000
                || attrs.lastModifiedTime().compareTo(after) < 0) {
              return FileVisitResult.CONTINUE;
            }
            try {
              String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
              for (String password : passwords) {
                for (String piece : pieces(password)) {
                  if (text.contains(piece)) {
                    found.add(file + " holds " + piece);
                  }
                }
              }
            } catch (IOException | RuntimeException unreadable) {
              // another user's file, or gone meanwhile
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return found;
  }
}
