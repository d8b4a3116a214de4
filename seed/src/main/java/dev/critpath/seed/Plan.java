package dev.critpath.seed;

import dev.critpath.UserError;

/**
 * The volumes of one dataset. Everything else (participants, read state, voucher states, search
 * terms) follows from these counts and the seed.
 *
 * @param businesses tenants; users and conversations are spread over them round-robin
 * @param users profiles (seed 003's pool); user 1 is the most active
 * @param conversations conversation 1 is the hottest (Zipf over the index)
 * @param messages spread over 90 days with a recent bias
 * @param stations redemption points (seed 004)
 * @param campaigns voucher campaigns (seed 004)
 * @param vouchersPerCampaign issued per campaign (seed 004: up to 5,000 per batch)
 * @param targetsPerCampaign dispatch recipients per campaign (seed 004: 10k targets)
 */
public record Plan(
    int businesses,
    int users,
    int conversations,
    long messages,
    int stations,
    int campaigns,
    int vouchersPerCampaign,
    int targetsPerCampaign) {

  /** Far beyond what a benchmark needs; larger requests are typos. */
  public static final long MAX_MESSAGES = 500_000_000L;

  public static final double MAX_SCALE = 1_000;

  public Plan {
    require(businesses >= 1, "at least one business");
    require(users >= 2L * businesses, "at least two users per business");
    require(conversations >= 1, "at least one conversation");
    require(messages >= conversations, "at least one message per conversation");
    require(messages <= MAX_MESSAGES, "at most " + MAX_MESSAGES + " messages");
    require(stations >= 1 && campaigns >= 1, "at least one station and one campaign");
    require(
        vouchersPerCampaign >= 1 && targetsPerCampaign >= 1, "vouchers and targets per campaign");
    require(
        (long) campaigns * vouchersPerCampaign <= Integer.MAX_VALUE
            && (long) campaigns * targetsPerCampaign <= Integer.MAX_VALUE,
        "fewer than 2^31 vouchers and targets");
  }

  /**
   * This plan with every count multiplied by {@code factor} (per-campaign sizes stay: they are the
   * shape of seed 004's fixtures).
   */
  public Plan scaled(double factor) {
    if (Double.isNaN(factor) || factor <= 0 || factor > MAX_SCALE) {
      throw new UserError(
          "--scale must be a number above 0 and at most " + (long) MAX_SCALE + ", got " + factor);
    }
    if (factor == 1.0) {
      return this;
    }
    long m = Math.round(messages * factor);
    if (m > MAX_MESSAGES) {
      throw new UserError(
          "--scale " + factor + " asks for " + m + " messages; the limit is " + MAX_MESSAGES);
    }
    int b = atLeast(businesses * factor, 1);
    int c = atLeast(conversations * factor, 1);
    return new Plan(
        b,
        Math.max(atLeast(users * factor, 2), 2 * b),
        c,
        Math.max(m, c),
        atLeast(stations * factor, 1),
        atLeast(campaigns * factor, 1),
        vouchersPerCampaign,
        targetsPerCampaign);
  }

  public long vouchers() {
    return (long) campaigns * vouchersPerCampaign;
  }

  public long campaignTargets() {
    return (long) campaigns * targetsPerCampaign;
  }

  private static int atLeast(double value, int min) {
    double rounded = Math.rint(value);
    if (rounded > Integer.MAX_VALUE) {
      throw new UserError("--scale makes a count exceed " + Integer.MAX_VALUE);
    }
    return Math.max(min, (int) rounded);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new UserError("invalid seed plan: needs " + what);
    }
  }
}
