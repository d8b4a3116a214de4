package dev.critpath.bench.jooq;

import static dev.critpath.bench.jooq.ConversationListTable.CONVERSATION_LIST;

import dev.critpath.bench.JavaPath;
import dev.critpath.catalog.ParamSampler;
import java.sql.Connection;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.openjdk.jmh.infra.Blackhole;

/**
 * conversation_list written the way a jOOQ application would: a typed query built, rendered and
 * executed per call, records materialised. Beside its raw-SQL twin it shows jOOQ's own overhead.
 */
public final class ConversationListJooq implements JavaPath {
  static final int PAGE = 50;

  static {
    // jOOQ prints a banner, tips and a version notice per connection; a benchmark's output has no
    // room for them (the last is an INFO log line, hence the slf4j-simple level, when unset).
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
    if (System.getProperty("org.slf4j.simpleLogger.log.org.jooq") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.jooq", "warn");
    }
  }

  @Override
  public String name() {
    return "conversation_list_jooq";
  }

  @Override
  public String twinOf() {
    return "conversation_list";
  }

  @Override
  public String about() {
    return "conversation_list written with jOOQ (typed table, rendered and executed per call)";
  }

  @Override
  public Session open(Connection connection) {
    DSLContext ctx =
        DSL.using(
            connection,
            SQLDialect.POSTGRES,
            new Settings().withRenderSchema(false).withExecuteLogging(false));
    ConversationListTable cl = CONVERSATION_LIST;
    return (ParamSampler params, Blackhole bh) -> {
      for (Record r :
          ctx.select(
                  cl.ID,
                  cl.BUSINESS_ID,
                  cl.KIND,
                  cl.CHANNEL,
                  cl.TITLE,
                  cl.LAST_MESSAGE_AT,
                  cl.LAST_MESSAGE_PREVIEW,
                  cl.UNREAD_COUNT,
                  cl.LAST_READ_AT)
              .from(cl)
              .orderBy(cl.LAST_MESSAGE_AT.desc().nullsLast())
              .limit(PAGE)
              .fetch()) {
        for (int i = 0; i < r.size(); i++) {
          bh.consume(r.get(i));
        }
      }
    };
  }
}
