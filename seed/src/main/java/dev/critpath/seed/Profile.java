package dev.critpath.seed;

import dev.critpath.UserError;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The named dataset sizes, after the volumes in the seed documents. */
public enum Profile {
  /** For tests: seeds in about a second. */
  TINY("tiny", new Plan(4, 100, 200, 5_000, 4, 2, 50, 100), "tests"),
  /** Seed 001's test data: 50 businesses, 500 users, 5,000 conversations, 50,000 messages. */
  SEED001("seed001", new Plan(50, 500, 5_000, 50_000, 50, 2, 85, 5_000), "seed 001's load plan"),
  /**
   * The default: seed 003's 10,000-user pool, seed 002's 100K+ messages, seed 004's voucher
   * fixtures (50 stations, 2 campaigns, 170 vouchers, 10k campaign targets).
   */
  SMALL(
      "small",
      new Plan(100, 10_000, 10_000, 120_000, 50, 2, 85, 5_000),
      "seeds 002-004: the default"),
  /** 1M messages, hot conversations of 10,000+ messages, 5,000 vouchers per campaign. */
  LARGE(
      "large",
      new Plan(500, 50_000, 100_000, 1_000_000, 500, 10, 5_000, 10_000),
      "seed 002's edge cases at scale"),
  /** 10M messages. */
  XLARGE(
      "xlarge",
      new Plan(2_000, 200_000, 1_000_000, 10_000_000, 2_000, 40, 5_000, 10_000),
      "stress");

  public static final Profile DEFAULT = SMALL;

  private final String id;
  private final Plan plan;
  private final String purpose;

  Profile(String id, Plan plan, String purpose) {
    this.id = id;
    this.plan = plan;
    this.purpose = purpose;
  }

  /** The name users type: tiny, seed001, small, large, xlarge. */
  public String id() {
    return id;
  }

  public Plan plan() {
    return plan;
  }

  public String purpose() {
    return purpose;
  }

  /** The profile called {@code name}; a {@link UserError} listing the choices otherwise. */
  public static Profile parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Profile p : values()) {
      if (p.id.equals(wanted)) {
        return p;
      }
    }
    throw new UserError(
        "unknown seed profile '" + name + "': choose one of " + names() + " (see seed --help)");
  }

  public static String names() {
    return Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
