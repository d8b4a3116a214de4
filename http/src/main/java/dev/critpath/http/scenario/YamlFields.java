package dev.critpath.http.scenario;

import dev.critpath.UserError;
import dev.critpath.network.NetworkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Field readers the scenario file's sections share: durations, names, tags, auth, statuses. */
final class YamlFields {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private YamlFields() {}

  /** A network profile by name (none: direct), or {@code fallback} when the key is absent. */
  static NetworkProfile network(YamlNode node, NetworkProfile fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    try {
      return NetworkProfile.parse(node.text());
    } catch (UserError e) {
      throw node.error(e.getMessage());
    }
  }

  static Map<String, String> tags(YamlNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      out.put(e.getKey(), e.getValue().text(""));
    }
    return Collections.unmodifiableMap(out);
  }

  static AuthMode authMode(YamlNode node, AuthMode fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    try {
      return AuthMode.valueOf(node.text().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("auth must be user, anon, service or none");
    }
  }

  static StatusSet statuses(YamlNode node, StatusSet fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    List<String> items = new ArrayList<>();
    for (YamlNode item : node.items()) {
      items.add(item.text());
    }
    try {
      return StatusSet.parse(items);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  static Duration positive(YamlNode node, Duration fallback) {
    Duration d = node.duration(fallback);
    if (d != null && (d.isZero() || d.isNegative())) {
      throw node.error("must be longer than zero");
    }
    return d;
  }

  static Duration nonNegative(YamlNode node, Duration fallback) {
    return node.duration(fallback);
  }

  static void checkName(YamlNode node, String name, String what) {
    if (!NAME.matcher(name).matches()) {
      throw node.error(what + " name \"" + name + "\" may hold only letters, digits, _ . and -");
    }
  }
}
