package dev.critpath.bench.jooq;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jooq.impl.TableImpl;

/**
 * The {@code conversation_list} view as a typed jOOQ table, written by hand in the shape jOOQ's
 * code generator produces. Hand-written because generating from the migrations would need a live
 * database (jOOQ's DDL parser does not read RLS policies and PL/pgSQL) at build time for one view;
 * a test checks these columns against the migrated schema so the two cannot drift apart.
 */
public final class ConversationListTable extends TableImpl<Record> {
  private static final long serialVersionUID = 1L;

  public static final ConversationListTable CONVERSATION_LIST = new ConversationListTable();

  public final TableField<Record, UUID> ID = column("id", SQLDataType.UUID.nullable(false));
  public final TableField<Record, UUID> BUSINESS_ID =
      column("business_id", SQLDataType.UUID.nullable(false));
  public final TableField<Record, String> KIND = column("kind", SQLDataType.CLOB.nullable(false));
  public final TableField<Record, String> CHANNEL =
      column("channel", SQLDataType.CLOB.nullable(false));
  public final TableField<Record, String> TITLE = column("title", SQLDataType.CLOB);
  public final TableField<Record, UUID[]> PARTICIPANTS =
      column("participants", SQLDataType.UUID.array());
  public final TableField<Record, OffsetDateTime> LAST_MESSAGE_AT =
      column("last_message_at", SQLDataType.TIMESTAMPWITHTIMEZONE(6));
  public final TableField<Record, String> LAST_MESSAGE_PREVIEW =
      column("last_message_preview", SQLDataType.CLOB);
  public final TableField<Record, Integer> UNREAD_COUNT =
      column("unread_count", SQLDataType.INTEGER.nullable(false));
  public final TableField<Record, OffsetDateTime> LAST_READ_AT =
      column("last_read_at", SQLDataType.TIMESTAMPWITHTIMEZONE(6));

  private ConversationListTable() {
    super(DSL.name("conversation_list"));
  }

  private <T> TableField<Record, T> column(String name, org.jooq.DataType<T> type) {
    Name n = DSL.name(name);
    return createField(n, type, this, "");
  }
}
