package dev.critpath.network;

import dev.critpath.UserError;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's network link as seed 002 tabulates it: round-trip time and the bandwidth of each
 * direction. {@link ShapingProxy} puts one such link in front of every connection it carries.
 *
 * @param name what runs and reports call it ({@code 4g}, {@code slow-3g}, ...)
 * @param label the seed's own name ("4G", "Slow 3G")
 * @param rttMillis round-trip propagation delay; each direction gets half
 * @param downBitsPerSecond server to client
 * @param upBitsPerSecond client to server
 */
public record NetworkProfile(
    String name, String label, long rttMillis, long downBitsPerSecond, long upBitsPerSecond) {

  public static final NetworkProfile SLOW_3G =
      new NetworkProfile("slow-3g", "Slow 3G", 400, 400_000, 400_000);
  public static final NetworkProfile FAST_3G =
      new NetworkProfile("fast-3g", "Fast 3G", 300, 1_600_000, 750_000);
  public static final NetworkProfile LTE_4G =
      new NetworkProfile("4g", "4G", 170, 10_000_000, 5_000_000);
  public static final NetworkProfile NR_5G =
      new NetworkProfile("5g", "5G", 10, 100_000_000, 50_000_000);

  /** Seed 002's table, slowest first. */
  public static final List<NetworkProfile> SEEDED = List.of(SLOW_3G, FAST_3G, LTE_4G, NR_5G);

  private static final Pattern CUSTOM =
      Pattern.compile("custom:(\\d+)(?:ms)?/(\\d+)(?:kbps)?/(\\d+)(?:kbps)?");

  public NetworkProfile {
    if (rttMillis < 0 || downBitsPerSecond <= 0 || upBitsPerSecond <= 0) {
      throw new IllegalArgumentException("network profile needs rtt >= 0 and bandwidths > 0");
    }
  }

  /**
   * The profile called {@code text}: a seeded name ({@code slow-3g}, {@code fast-3g}, {@code 4g},
   * {@code 5g}; case, spaces and dashes do not matter) or {@code custom:RTT_MS/DOWN_KBPS/UP_KBPS}.
   * Returns null for {@code none}/{@code off}: no shaping. Anything else is a {@link UserError}.
   */
  public static NetworkProfile parse(String text) {
    if (text == null) {
      return null;
    }
    String key = text.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
    switch (key) {
      case "":
      case "none":
      case "off":
        return null;
      case "slow3g":
      case "3gslow":
        return SLOW_3G;
      case "fast3g":
      case "3g":
      case "3gfast":
        return FAST_3G;
      case "4g":
      case "lte":
        return LTE_4G;
      case "5g":
        return NR_5G;
      default:
        break;
    }
    Matcher custom = CUSTOM.matcher(key);
    if (custom.matches()) {
      long down = Long.parseLong(custom.group(2));
      long up = Long.parseLong(custom.group(3));
      if (down > 0 && up > 0) {
        return new NetworkProfile(
            "custom",
            "custom " + custom.group(1) + " ms " + down + "/" + up + " kbps",
            Long.parseLong(custom.group(1)),
            down * 1000,
            up * 1000);
      }
    }
    throw new UserError(
        "unknown network profile '"
            + text
            + "': use slow-3g, fast-3g, 4g, 5g, none or custom:RTT_MS/DOWN_KBPS/UP_KBPS"
            + " (for example custom:250/2000/1000)");
  }

  public Duration rtt() {
    return Duration.ofMillis(rttMillis);
  }

  /** Half the round trip: what each direction adds. */
  public Duration oneWay() {
    return rtt().dividedBy(2);
  }

  /** Seconds the link needs to carry {@code bytes} in the given direction. */
  public double serialisationSeconds(long bytes, boolean upload) {
    return bytes * 8.0 / (upload ? upBitsPerSecond : downBitsPerSecond);
  }

  @Override
  public String toString() {
    return label
        + " ("
        + rttMillis
        + " ms RTT, "
        + kbps(downBitsPerSecond)
        + " down / "
        + kbps(upBitsPerSecond)
        + " up)";
  }

  private static String kbps(long bitsPerSecond) {
    return bitsPerSecond >= 1_000_000 && bitsPerSecond % 100_000 == 0
        ? (bitsPerSecond / 100_000) / 10.0 + " Mbps"
        : bitsPerSecond / 1000 + " kbps";
  }
}
