package dev.critpath.realtime;

import dev.critpath.UserError;

/** The Phoenix protocol version a Realtime client asks for (the {@code vsn} query parameter). */
public enum Vsn {
  /** JSON objects {topic, event, payload, ref}: older clients. */
  V1("1.0.0"),
  /** JSON arrays and binary broadcasts: realtime-js's default. */
  V2("2.0.0");

  public final String wire;

  Vsn(String wire) {
    this.wire = wire;
  }

  /** The version named {@code text} ("1.0.0" or "2.0.0"). */
  public static Vsn parse(String text) {
    for (Vsn v : values()) {
      if (v.wire.equals(text)) {
        return v;
      }
    }
    throw new UserError("unknown --vsn " + text + ": Supabase Realtime speaks 1.0.0 or 2.0.0");
  }
}
