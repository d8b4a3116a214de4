package dev.critpath.seed;

import dev.critpath.dataset.Ids;
import java.util.List;

/**
 * The reference schema's tables the seeder fills, in foreign-key order, with what it needs to know
 * about each: the COPY column list, the id entity (rows whose id lies in that entity's range are
 * critpath's), and the foreign keys (rows referencing critpath rows hang off them and are
 * critpath's too). idempotency_keys is not here: the seeder neither fills nor touches it.
 */
enum SeedTable {
  BUSINESSES("businesses", Ids.Entity.BUSINESS, "id, name, plan, created_at"),
  PROFILES(
      "profiles",
      Ids.Entity.USER,
      "id, business_id, username, full_name, email, created_at",
      fk("business_id", "businesses")),
  BUSINESS_MEMBERS(
      "business_members",
      null,
      "business_id, profile_id, role",
      fk("business_id", "businesses"),
      fk("profile_id", "profiles")),
  CONVERSATIONS(
      "conversations",
      Ids.Entity.CONVERSATION,
      "id, business_id, kind, channel, title, participants, created_at, last_message_at,"
          + " last_message_preview",
      fk("business_id", "businesses")),
  CONVERSATION_PARTICIPANTS(
      "conversation_participants",
      null,
      "conversation_id, profile_id, joined_at, last_read_at, unread_count",
      fk("conversation_id", "conversations"),
      fk("profile_id", "profiles")),
  MESSAGES(
      "messages",
      Ids.Entity.MESSAGE,
      "id, conversation_id, business_id, sender_id, kind, channel, content, client_id, created_at,"
          + " search",
      fk("conversation_id", "conversations"),
      fk("business_id", "businesses"),
      fk("sender_id", "profiles")),
  MESSAGE_READ_RECEIPTS(
      "message_read_receipts",
      null,
      "message_id, profile_id, read_at",
      fk("message_id", "messages"),
      fk("profile_id", "profiles")),
  ATTACHMENTS(
      "attachments",
      Ids.Entity.ATTACHMENT,
      "id, message_id, business_id, storage_path, mime_type, size_bytes, width, height,"
          + " created_at",
      fk("message_id", "messages"),
      fk("business_id", "businesses")),
  STATIONS(
      "stations",
      Ids.Entity.STATION,
      "id, business_id, name, city, created_at",
      fk("business_id", "businesses")),
  CAMPAIGNS(
      "campaigns",
      Ids.Entity.CAMPAIGN,
      "id, business_id, name, status, starts_at, ends_at, created_at",
      fk("business_id", "businesses")),
  CAMPAIGN_TARGETS(
      "campaign_targets",
      Ids.Entity.CAMPAIGN_TARGET,
      "id, campaign_id, profile_id, phone, status, sent_at",
      fk("campaign_id", "campaigns"),
      fk("profile_id", "profiles")),
  VOUCHERS(
      "vouchers",
      Ids.Entity.VOUCHER,
      "id, campaign_id, business_id, profile_id, code, status, amount_cents, issued_at,"
          + " expires_at, redeemed_at",
      fk("campaign_id", "campaigns"),
      fk("business_id", "businesses"),
      fk("profile_id", "profiles")),
  /** One row per redeemed voucher; it shares its voucher's id (a 1:1 table). */
  REDEMPTIONS(
      "redemptions",
      Ids.Entity.VOUCHER,
      "id, voucher_id, station_id, redeemed_by, redeemed_at",
      fk("voucher_id", "vouchers"),
      fk("station_id", "stations"),
      fk("redeemed_by", "profiles"));

  /** A foreign key: {@code column} references {@code parent}(id). */
  record ForeignKey(String column, String parent) {
    SeedTable parentTable() {
      return SeedTable.named(parent);
    }
  }

  private final String sqlName;
  private final Ids.Entity entity;
  private final String columns;
  private final List<ForeignKey> foreignKeys;

  SeedTable(String sqlName, Ids.Entity entity, String columns, ForeignKey... foreignKeys) {
    this.sqlName = sqlName;
    this.entity = entity;
    this.columns = columns;
    this.foreignKeys = List.of(foreignKeys);
  }

  private static ForeignKey fk(String column, String parent) {
    return new ForeignKey(column, parent);
  }

  String sqlName() {
    return sqlName;
  }

  /** The entity whose id range marks critpath rows, or null for link tables without an id. */
  Ids.Entity entity() {
    return entity;
  }

  List<ForeignKey> foreignKeys() {
    return foreignKeys;
  }

  String copySql() {
    return "COPY public." + sqlName + " (" + columns + ") FROM STDIN (FORMAT binary)";
  }

  static SeedTable named(String sqlName) {
    for (SeedTable t : values()) {
      if (t.sqlName.equals(sqlName)) {
        return t;
      }
    }
    throw new IllegalArgumentException(sqlName);
  }

  /** The bounds of entity e's reserved range: every uuid that starts like e's critpath ids. */
  static String lowId(Ids.Entity e) {
    return String.format("%08x-0000-4000-8000-000000000000", e.code);
  }

  static String highId(Ids.Entity e) {
    return String.format("%08x-0000-4000-8000-ffffffffffff", e.code);
  }
}
