package dev.critpath.run;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tag of one distribution in a latency log: {@code <section>/<subject>/<metric>}, then {@code
 * ;key=value} qualifiers in key order. The subject names the scenario or path (http: {@code
 * <file>:<scenario>}, realtime: {@code <level>:<platform>:<network>}, bench: {@code
 * <query>:<variant>}); qualifiers narrow it (an http request's name, method, status; a bench thread
 * count). Reserved characters (and those HdrHistogram's log forbids: comma, space, line breaks) are
 * percent-encoded in every part, so any name survives the round trip.
 */
public record LatencyTag(
    String section, String subject, String metric, SortedMap<String, String> qualifiers) {

  private static final String RESERVED = "%/;=, \t\r\n";

  public LatencyTag {
    qualifiers = Collections.unmodifiableSortedMap(new TreeMap<>(qualifiers));
  }

  public static LatencyTag of(
      Section section, String subject, String metric, Map<String, String> qualifiers) {
    return new LatencyTag(section.key(), subject, metric, new TreeMap<>(qualifiers));
  }

  /** The tag as the log carries it. */
  public String encode() {
    StringBuilder b = new StringBuilder();
    b.append(escape(section)).append('/').append(escape(subject)).append('/');
    b.append(escape(metric));
    qualifiers.forEach((k, v) -> b.append(';').append(escape(k)).append('=').append(escape(v)));
    return b.toString();
  }

  /** Reads an encoded tag; null when it is not one of ours. */
  public static LatencyTag parse(String tag) {
    if (tag == null) {
      return null;
    }
    String[] parts = tag.split(";", -1);
    String[] path = parts[0].split("/", -1);
    if (path.length != 3) {
      return null;
    }
    SortedMap<String, String> q = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 0) {
        return null;
      }
      q.put(unescape(parts[i].substring(0, eq)), unescape(parts[i].substring(eq + 1)));
    }
    return new LatencyTag(unescape(path[0]), unescape(path[1]), unescape(path[2]), q);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      // c < 0x20 also holds for every byte of a multi-byte character (negative as a byte)
      if (c < 0x20 || c == 0x7f || RESERVED.indexOf(c) >= 0) {
        b.append('%').append(String.format("%02X", c & 0xff));
      } else {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  static String unescape(String s) {
    byte[] out = new byte[s.length()];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out[n++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
