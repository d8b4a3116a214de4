package dev.critpath.db;

import java.sql.SQLException;

/** The SQLSTATE codes critpath reacts to (after pgjdbc's PSQLState). */
public enum SqlState {
  CONNECTION_UNABLE_TO_CONNECT("08001"),
  CONNECTION_FAILURE("08006"),
  CONNECTION_REJECTED("08004"),
  CONNECTION_DOES_NOT_EXIST("08003"),
  INVALID_AUTHORIZATION("28000"),
  INVALID_PASSWORD("28P01"),
  INVALID_CATALOG_NAME("3D000"),
  INSUFFICIENT_PRIVILEGE("42501"),
  UNDEFINED_TABLE("42P01"),
  UNDEFINED_FUNCTION("42883"),
  UNDEFINED_OBJECT("42704"),
  SYNTAX_ERROR("42601"),
  QUERY_CANCELED("57014"),
  READ_ONLY_SQL_TRANSACTION("25006"),
  ADMIN_SHUTDOWN("57P01"),
  CRASH_SHUTDOWN("57P02"),
  CANNOT_CONNECT_NOW("57P03"),
  OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
  SERIALIZATION_FAILURE("40001"),
  DEADLOCK_DETECTED("40P01"),
  UNIQUE_VIOLATION("23505"),
  TOO_MANY_CONNECTIONS("53300"),
  DISK_FULL("53100");

  public final String code;

  SqlState(String code) {
    this.code = code;
  }

  public boolean is(SQLException e) {
    return e != null && code.equals(e.getSQLState());
  }

  /** The state of the exception, or null when PostgreSQL sent one critpath does not name. */
  public static SqlState of(SQLException e) {
    if (e == null || e.getSQLState() == null) {
      return null;
    }
    for (SqlState state : values()) {
      if (state.code.equals(e.getSQLState())) {
        return state;
      }
    }
    return null;
  }

  /** Class 08 and server shutdowns: the connection is gone, a retry on a new one may work. */
  public static boolean isConnectionLoss(SQLException e) {
    String state = e.getSQLState();
    return state != null
        && (state.startsWith("08")
            || ADMIN_SHUTDOWN.code.equals(state)
            || CRASH_SHUTDOWN.code.equals(state)
            || CANNOT_CONNECT_NOW.code.equals(state));
  }
}
