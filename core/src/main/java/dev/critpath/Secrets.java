package dev.critpath;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps passwords, JWTs and API keys out of everything critpath prints or writes. Known secret
 * values are registered as they are read (from URLs, the environment, pool files); {@link #redact}
 * replaces them and anything shaped like a credential.
 */
public final class Secrets {
  public static final String MASK = "***";

  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]+):[^@/\\s]*@");
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:password|passwd|apikey|api_key|secret|token)=)[^&\\s]+");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  /** Shorter values would mask ordinary words; such weak secrets are still caught by shape. */
  private static final int MIN_REGISTERED_LENGTH = 4;

  private Secrets() {}

  /** Remembers a secret so that {@link #redact} hides it wherever it shows up. */
  public static void register(String secret) {
    if (secret != null && secret.length() >= MIN_REGISTERED_LENGTH) {
      KNOWN.add(secret);
    }
  }

  /** The text with every known secret and credential-shaped substring masked. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : KNOWN) {
      out = out.replace(secret, MASK);
    }
    out = URL_PASSWORD.matcher(out).replaceAll("$1:" + MASK + "@");
    out = PASSWORD_PARAM.matcher(out).replaceAll("$1" + MASK);
    return JWT.matcher(out).replaceAll(MASK);
  }
}
