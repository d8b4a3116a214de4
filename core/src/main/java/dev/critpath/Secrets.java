package dev.critpath;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps passwords, JWTs and API keys out of everything critpath prints or writes. Known secret
 * values are registered as they are read (from URLs, the environment, pool files); {@link #redact}
 * replaces them, longest first (so no part of a longer secret that holds a shorter one shows), and
 * then anything shaped like a credential.
 */
public final class Secrets {
  public static final String MASK = "***";

  /** Known secrets, longest first; replaced whole on every change. */
  private static volatile List<String> known = List.of();

  /**
   * The credentials of a URL's authority, valid or not: schemes ({@code jdbc:postgresql:}), any
   * slashes, the user, then everything from the ':' to the last '@' of the word (a password may
   * hold '/', '?', ':' and '@'). Never a scheme's own ':/' (postgresql://u@host is no password).
   */
  private static final Pattern URL_PASSWORD =
      Pattern.compile("((?:(?:[A-Za-z][A-Za-z0-9+.-]*:)+/+)?[^\\s:@/'\"<>()\\[\\]]*):(?!/)\\S*@");

  /**
   * A URL's {@code user:secret} without the '@' that would end it (a password whose '@' got lost):
   * what follows the authority's ':' when it is not a port. One slash too: a path made of a URL has
   * lost the other.
   */
  private static final Pattern AUTHORITY_WITHOUT_AT =
      Pattern.compile("(:/+[^:/?@#\\s\\[]*):(?!\\d*(?:[/?#\\s]|$))[^/?@\\s]*+(?!@)");

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:password|passwd|apikey|api_key|secret|token)=)[^&\\s]+");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  /** Environment variables whose values are secrets, by name. */
  private static final Pattern SECRET_VARIABLE =
      Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY|API_KEY|_KEY)$");

  /** Variables that hold a connection URL, whose password is a secret. */
  private static final List<String> URL_VARIABLES = List.of("DATABASE_URL", "SUPABASE_DB_URL");

  private static final Pattern PASSWORD_VALUE = Pattern.compile("(?i)password=([^&\\s]+)");

  /** Shorter values would mask ordinary words; such weak secrets are still caught by shape. */
  private static final int MIN_REGISTERED_LENGTH = 4;

  private Secrets() {}

  /** Remembers a secret so that {@link #redact} hides it wherever it shows up. */
  public static void register(String secret) {
    if (secret == null || secret.length() < MIN_REGISTERED_LENGTH) {
      return;
    }
    synchronized (Secrets.class) {
      if (known.contains(secret)) {
        return;
      }
      List<String> next = new ArrayList<>(known);
      next.add(secret);
      next.sort(Comparator.comparingInt(String::length).reversed());
      known = List.copyOf(next);
    }
  }

  /**
   * Registers the passwords a text given as a URL may hold, before anything parses it (so that an
   * error about a malformed URL cannot show them): every stretch between a ':' and an '@' after it
   * (whichever ':' ends the user), and every {@code password=} value, raw and percent-decoded.
   */
  public static void registerUrlCredentials(String text) {
    if (text == null) {
      return;
    }
    // every reading: from any ':' (a scheme's, the user's) to any '@' after it
    for (int colon = text.indexOf(':'); colon >= 0; colon = text.indexOf(':', colon + 1)) {
      for (int at = text.indexOf('@', colon); at > colon; at = text.indexOf('@', at + 1)) {
        registerRawAndDecoded(text.substring(colon + 1, at));
      }
    }
    Matcher param = PASSWORD_VALUE.matcher(text);
    while (param.find()) {
      registerRawAndDecoded(param.group(1));
      int end = text.indexOf(' ', param.start(1));
      registerRawAndDecoded(text.substring(param.start(1), end < 0 ? text.length() : end));
    }
  }

  /**
   * Registers the secrets of the environment: the values of variables named like a password, key,
   * token or secret, and the passwords of connection URL variables.
   */
  public static void registerEnvironment(Map<String, String> env) {
    env.forEach(
        (name, value) -> {
          if (SECRET_VARIABLE.matcher(name).matches()) {
            register(value);
          }
        });
    for (String name : URL_VARIABLES) {
      registerUrlCredentials(env.get(name));
    }
  }

  private static void registerRawAndDecoded(String value) {
    register(value);
    try {
      register(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException notEncoded) {
      // taken literally, as registered above
    }
  }

  /** {@code user:password@} in help text ("expected postgresql://user:password@host"). */
  private static boolean placeholder(String match, String beforeColon) {
    return match.substring(beforeColon.length() + 1, match.length() - 1).equals("password");
  }

  /** The text with every known secret and credential-shaped substring masked. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : known) {
      out = out.replace(secret, MASK);
    }
    out =
        URL_PASSWORD
            .matcher(out)
            .replaceAll(
                m ->
                    Matcher.quoteReplacement(
                        placeholder(m.group(), m.group(1))
                            ? m.group()
                            : m.group(1) + ":" + MASK + "@"));
    out = AUTHORITY_WITHOUT_AT.matcher(out).replaceAll("$1:" + MASK);
    out = PASSWORD_PARAM.matcher(out).replaceAll("$1" + MASK);
    return JWT.matcher(out).replaceAll(MASK);
  }
}
