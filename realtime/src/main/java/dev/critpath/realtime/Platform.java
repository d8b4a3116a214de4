package dev.critpath.realtime;

import dev.critpath.network.NetworkProfile;

/**
 * The seeds' per-platform realtime targets. Seed 002: message delivery web &lt; 100 ms, mobile WiFi
 * &lt; 300 ms, 4G &lt; 500 ms, 3G &lt; 1000 ms; reconnect after a disconnect web &lt; 1 s, WiFi
 * &lt; 2 s, 4G &lt; 3 s, and "reconnect and sync &lt; 2 s" in general (used for 3G, which the table
 * leaves out); subscription setup &lt; 1 s everywhere.
 */
public enum Platform {
  WEB("web", 100, 1000),
  MOBILE_WIFI("mobile WiFi", 300, 2000),
  MOBILE_4G("mobile 4G", 500, 3000),
  MOBILE_3G("mobile 3G", 1000, 2000);

  /** Seed 002's checklist: "Subscription setup &lt; 1s". */
  public static final double SUBSCRIPTION_SETUP_MS = 1000;

  public final String label;
  public final double deliveryMs;
  public final double reconnectMs;

  Platform(String label, double deliveryMs, double reconnectMs) {
    this.label = label;
    this.deliveryMs = deliveryMs;
    this.reconnectMs = reconnectMs;
  }

  /**
   * The platform whose targets a network profile is held to. No profile is the web (desktop on a
   * fast line). The seeds give 5G no targets of its own; its 10 ms round trip is WiFi-class, so it
   * gets WiFi's. A custom profile goes by its round trip.
   */
  public static Platform of(NetworkProfile network) {
    if (network == null) {
      return WEB;
    }
    switch (network.name()) {
      case "slow-3g":
      case "fast-3g":
        return MOBILE_3G;
      case "4g":
        return MOBILE_4G;
      case "5g":
        return MOBILE_WIFI;
      default:
        long rtt = network.rttMillis();
        return rtt < 50 ? MOBILE_WIFI : rtt < 250 ? MOBILE_4G : MOBILE_3G;
    }
  }
}
