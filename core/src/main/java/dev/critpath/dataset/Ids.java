package dev.critpath.dataset;

import java.util.UUID;

/**
 * The deterministic ids of seeded rows: {@code EEEEEEEE-0000-4000-8000-NNNNNNNNNNNN}, where E is
 * the entity code in hex and N the 1-based row index in decimal. Users follow seed 003's scheme
 * exactly ({@code 00000000-0000-4000-8000-000000000042} is user 42). Scenarios, JWT pools and
 * parameter samplers address rows without reading the database.
 *
 * <p>For users and conversations the index is also the popularity rank: index 1 is the most active
 * user and the hottest conversation, so a Zipf sampler over indexes follows the skew.
 */
public final class Ids {

  /** Entity codes (the first UUID group). Never renumber: stored data depends on them. */
  public enum Entity {
    USER(0x0),
    BUSINESS(0x1),
    CONVERSATION(0x2),
    MESSAGE(0x3),
    CAMPAIGN(0x4),
    STATION(0x5),
    VOUCHER(0x6),
    CAMPAIGN_TARGET(0x7),
    ATTACHMENT(0x8);

    public final int code;

    Entity(int code) {
      this.code = code;
    }
  }

  private static final long MAX_INDEX = 999_999_999_999L;

  private Ids() {}

  public static UUID uuid(Entity entity, long index) {
    return UUID.fromString(text(entity, index));
  }

  public static String text(Entity entity, long index) {
    if (index < 1 || index > MAX_INDEX) {
      throw new IllegalArgumentException("index out of range 1.." + MAX_INDEX + ": " + index);
    }
    return String.format("%08x-0000-4000-8000-%012d", entity.code, index);
  }

  /** The row index of an id made by {@link #text}; -1 when it is not one of ours. */
  public static long index(Entity entity, UUID id) {
    String s = id.toString();
    String prefix = String.format("%08x-0000-4000-8000-", entity.code);
    if (!s.startsWith(prefix)) {
      return -1;
    }
    try {
      return Long.parseLong(s.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
