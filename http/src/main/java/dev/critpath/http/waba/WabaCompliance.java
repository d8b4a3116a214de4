package dev.critpath.http.waba;

import java.time.Duration;
import java.util.List;

/**
 * The WhatsApp stand-in's receive log, summed up: per channel how many sends arrived, how many it
 * refused with 429, and the most that arrived within any window; the campaign's pace over the log.
 *
 * @param limitPerWindow the channel limit the stand-in enforced
 * @param windowSeconds the sliding window's length
 * @param attempts every send request received
 * @param refused those answered 429
 * @param refusedShare refused / attempts
 * @param sentPerMinute accepted sends per minute, from the first to the last request received
 * @param compliant no channel received more than the limit in any window
 */
public record WabaCompliance(
    int limitPerWindow,
    long windowSeconds,
    long attempts,
    long refused,
    double refusedShare,
    double sentPerMinute,
    boolean compliant,
    List<Channel> channels) {

  /**
   * One channel.
   *
   * @param maxInWindow the most requests received within any window of the stand-in's length
   * @param seconds from its first to its last request
   */
  public record Channel(
      String channel,
      long attempts,
      long accepted,
      long refused,
      int maxInWindow,
      double seconds) {}

  static WabaCompliance of(int limit, Duration window, List<Channel> channels) {
    long attempts = channels.stream().mapToLong(Channel::attempts).sum();
    long refused = channels.stream().mapToLong(Channel::refused).sum();
    long accepted = attempts - refused;
    double seconds = channels.stream().mapToDouble(Channel::seconds).max().orElse(0);
    return new WabaCompliance(
        limit,
        window.toSeconds(),
        attempts,
        refused,
        attempts == 0 ? 0 : (double) refused / attempts,
        seconds <= 0 ? accepted * 60.0 : accepted * 60.0 / Math.max(seconds, 1),
        channels.stream().allMatch(c -> c.maxInWindow() <= limit),
        List.copyOf(channels));
  }
}
