package dev.critpath;

/**
 * A problem the user can fix: bad option, unreachable server, malformed file. The CLI prints the
 * message as one line (no stack trace unless --verbose) and exits with {@link ExitCode#ERROR}.
 * Messages name the cause and the fix, and must never contain a secret.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
