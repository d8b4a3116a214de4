package dev.critpath.http.scenario;

/**
 * A file's {@code waba:} block: it is judged on what the WhatsApp Business API stand-in received as
 * well (seed 004's campaign dispatch): no channel over its limit in any 60 s window, at most this
 * share of sends refused with 429, at least this many sends per minute, and (when minSent is above
 * 0) at least this many sends accepted in all: the campaign went out whole.
 */
public record WabaSpec(double minPerMinute, double maxRefusedShare, long minSent) {
  /** Seed 004's Proposed SLOs: "10k targets @ >=100/min", "<= 5% 429/5xx". */
  public static final double SEED_MIN_PER_MINUTE = 100;

  public static final double SEED_MAX_REFUSED_SHARE = 0.05;
}
