package dev.critpath.seed;

import dev.critpath.dataset.Ids;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.postgresql.copy.CopyIn;

/**
 * Streams rows in PostgreSQL's binary COPY format through one COPY FROM STDIN: no text parsing on
 * the server (uuids and timestamps arrive as bytes), one reusable buffer on the client, so memory
 * stays flat however many rows go through.
 */
final class CopyWriter {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };
  private static final int BUFFER = 1 << 17;
  private static final int FLUSH_AT = BUFFER - (1 << 13);
  private static final int UUID_OID = 2950;

  /** 0..9999 as four hex nibbles holding their decimal digits (see {@link #bcd}). */
  private static final long[] BCD_4_DIGITS = new long[10_000];

  static {
    for (int i = 0; i < BCD_4_DIGITS.length; i++) {
      BCD_4_DIGITS[i] = (i / 1000) << 12 | (i / 100 % 10) << 8 | (i / 10 % 10) << 4 | i % 10;
    }
  }

  private final CopyIn copy;
  private final LongConsumer rowsDone;
  private final byte[] buf = new byte[BUFFER];
  private int pos;
  private long bytes;
  private long rows;
  private long unreportedRows;

  /**
   * @param rowsDone told how many rows were sent, once per buffer flush (progress)
   */
  CopyWriter(CopyIn copy, LongConsumer rowsDone) throws SQLException {
    this.copy = copy;
    this.rowsDone = rowsDone;
    System.arraycopy(SIGNATURE, 0, buf, 0, SIGNATURE.length);
    pos = SIGNATURE.length;
    int4(0); // flags
    int4(0); // header extension length
  }

  void row(int fields) throws SQLException {
    if (pos >= FLUSH_AT) {
      flush();
    }
    int2(fields);
    rows++;
    unreportedRows++;
  }

  /** A critpath id (see {@link Ids}) in binary: 16 bytes, no formatting. */
  void id(Ids.Entity entity, long index) {
    int4(16);
    long8(((long) entity.code << 32) | 0x4000L);
    long8(0x8000_0000_0000_0000L | bcd(index));
  }

  void uuid(long msb, long lsb) {
    int4(16);
    long8(msb);
    long8(lsb);
  }

  /** A uuid[] of critpath ids (PostgreSQL's binary array: header, then each element). */
  void idArray(Ids.Entity entity, long[] indexes, int from, int count) {
    int4(20 + count * 20);
    int4(1); // dimensions
    int4(0); // no nulls
    int4(UUID_OID);
    int4(count);
    int4(1); // lower bound
    for (int i = 0; i < count; i++) {
      id(entity, indexes[from + i]);
    }
  }

  void text(String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    text(b, b.length);
  }

  /** A short ASCII-only string (enum-like values) without allocating. */
  void ascii(String value) {
    int n = value.length();
    int4(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) value.charAt(i);
    }
  }

  void text(byte[] value, int length) {
    binary(value, length);
  }

  /** A field already in the column type's binary format. */
  void binary(byte[] value, int length) {
    int4(length);
    System.arraycopy(value, 0, buf, pos, length);
    pos += length;
  }

  /** timestamptz as microseconds since 2000-01-01 UTC. */
  void timestamp(long pgMicros) {
    int4(8);
    long8(pgMicros);
  }

  void integer(int value) {
    int4(4);
    int4(value);
  }

  void bigint(long value) {
    int4(8);
    long8(value);
  }

  void nul() {
    int4(-1);
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return bytes + pos;
  }

  /** Sends the trailer and ends the COPY; returns the rows the server counted. */
  long finish() throws SQLException {
    int2(-1);
    flush();
    return copy.endCopy();
  }

  private void flush() throws SQLException {
    if (pos > 0) {
      copy.writeToCopy(buf, 0, pos);
      bytes += pos;
      pos = 0;
    }
    if (unreportedRows > 0) {
      rowsDone.accept(unreportedRows);
      unreportedRows = 0;
    }
  }

  private void int2(int v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void int4(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void long8(long v) {
    int4((int) (v >>> 32));
    int4((int) v);
  }

  /** The index's 12 decimal digits as 12 hex nibbles: how the id text reads as a uuid. */
  static long bcd(long index) {
    // Three table lookups instead of 24 divisions: four ids per message row make this hot.
    return BCD_4_DIGITS[(int) (index % 10_000)]
        | BCD_4_DIGITS[(int) (index / 10_000 % 10_000)] << 16
        | BCD_4_DIGITS[(int) (index / 100_000_000 % 10_000)] << 32;
  }
}
