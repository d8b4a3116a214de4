package dev.critpath.realtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few fields of a Phoenix frame a subscriber acts on, read in one streaming pass without
 * building a tree or a String: at a thousand subscribers every delivery is parsed tens of thousands
 * of times a second, on the same two cores as everything else.
 *
 * @param event the top-level event (postgres_changes, broadcast, phx_reply, ...)
 * @param ref the top-level ref (replies)
 * @param status payload.status (replies)
 * @param recordId the delivered row's id: payload.data.record.id (postgres_changes) or
 *     payload.payload.record.id / payload.payload.id (broadcast)
 */
record PhoenixFrame(String event, String ref, String status, String recordId) {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_DEPTH = 8;

  /**
   * A text frame of either vsn: a JSON object (1.0.0) or [join_ref, ref, topic, event, payload].
   */
  static PhoenixFrame scan(byte[] bytes, int offset, int length) throws IOException {
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) {
        return scanArray(p);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new IOException("not a Phoenix frame");
      }
      Fields f = new Fields();
      String[] path = new String[MAX_DEPTH];
      scanObject(p, path, 1, f);
      if (f.event == null) {
        throw new IOException("not a Phoenix frame");
      }
      return f.frame();
    }
  }

  /**
   * A binary frame of vsn 2.0.0: a user broadcast (kind 4: topic, event and metadata sizes, the
   * payload's encoding, then the strings and the payload), read for the delivered row's id.
   */
  static PhoenixFrame scanBinary(byte[] bytes, int offset, int length) throws IOException {
    if (length < 5 || bytes[offset] != USER_BROADCAST) {
      throw new IOException("not a user broadcast frame");
    }
    int header =
        5 + (bytes[offset + 1] & 0xff) + (bytes[offset + 2] & 0xff) + (bytes[offset + 3] & 0xff);
    if (header > length || bytes[offset + 4] != JSON_ENCODING) {
      throw new IOException("not a JSON user broadcast");
    }
    Fields f = new Fields();
    f.event = "broadcast";
    // the user payload: the same fields as payload.payload of a JSON broadcast
    String[] path = new String[MAX_DEPTH];
    path[0] = "payload";
    path[1] = "payload";
    try (JsonParser p = JSON.createParser(bytes, offset + header, length - header)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("user broadcast payload is not an object");
      }
      scanObject(p, path, 3, f);
    }
    return f.frame();
  }

  private static final byte USER_BROADCAST = 4;
  private static final byte JSON_ENCODING = 1;

  private static final class Fields {
    String event;
    String ref;
    String status;
    String recordId;

    PhoenixFrame frame() {
      return new PhoenixFrame(event, ref, status, recordId);
    }
  }

  private static PhoenixFrame scanArray(JsonParser p) throws IOException {
    Fields f = new Fields();
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new IOException("not a Phoenix frame");
      }
      if (index == 1 && t == JsonToken.VALUE_STRING) {
        f.ref = p.getText();
      } else if (index == 3 && t == JsonToken.VALUE_STRING) {
        f.event = p.getText();
      } else if (index == 4 && t == JsonToken.START_OBJECT) {
        String[] path = new String[MAX_DEPTH];
        path[0] = "payload";
        scanObject(p, path, 2, f);
      } else if (t.isStructStart()) {
        p.skipChildren();
      }
      index++;
    }
    if (index != 5 || f.event == null) {
      throw new IOException("not a Phoenix frame");
    }
    return f.frame();
  }

  /** Reads one object whose START_OBJECT was just read, at {@code depth} below the frame. */
  private static void scanObject(JsonParser p, String[] path, int depth, Fields f)
      throws IOException {
    int start = depth;
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      switch (t) {
        case START_OBJECT:
          depth++;
          if (depth > MAX_DEPTH) {
            p.skipChildren();
            depth--;
          }
          break;
        case END_OBJECT:
          if (--depth < start) {
            return;
          }
          break;
        case START_ARRAY:
          p.skipChildren(); // ids, columns: nothing a subscriber needs
          break;
        case FIELD_NAME:
          path[depth - 1] = p.currentName();
          break;
        case VALUE_STRING:
          field(path, depth, p.getText(), f);
          break;
        default:
          break;
      }
    }
    throw new IOException("not a Phoenix frame");
  }

  private static void field(String[] path, int depth, String value, Fields f) {
    if (depth == 1) {
      if ("event".equals(path[0])) {
        f.event = value;
      } else if ("ref".equals(path[0])) {
        f.ref = value;
      }
    } else if ("payload".equals(path[0])) {
      if (depth == 2 && "status".equals(path[1])) {
        f.status = value;
      } else if (depth == 4 && "record".equals(path[2]) && "id".equals(path[3])) {
        f.recordId = value; // data.record.id or payload.record.id
      } else if (depth == 3
          && f.recordId == null
          && "payload".equals(path[1])
          && "id".equals(path[2])) {
        f.recordId = value;
      }
    }
  }
}
