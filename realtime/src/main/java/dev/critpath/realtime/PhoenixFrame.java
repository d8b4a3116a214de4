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

  static PhoenixFrame scan(byte[] bytes, int offset, int length) throws IOException {
    String event = null;
    String ref = null;
    String status = null;
    String recordId = null;
    String[] path = new String[MAX_DEPTH];
    int depth = 0;
    try (JsonParser p = JSON.createParser(bytes, offset, length)) {
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
            depth--;
            break;
          case START_ARRAY:
            p.skipChildren(); // ids, columns: nothing a subscriber needs
            break;
          case FIELD_NAME:
            path[depth - 1] = p.currentName();
            break;
          case VALUE_STRING:
            if (depth == 1) {
              if ("event".equals(path[0])) {
                event = p.getText();
              } else if ("ref".equals(path[0])) {
                ref = p.getText();
              }
            } else if ("payload".equals(path[0])) {
              if (depth == 2 && "status".equals(path[1])) {
                status = p.getText();
              } else if (depth == 4 && "record".equals(path[2]) && "id".equals(path[3])) {
                recordId = p.getText(); // data.record.id or payload.record.id
              } else if (depth == 3
                  && recordId == null
                  && "payload".equals(path[1])
                  && "id".equals(path[2])) {
                recordId = p.getText();
              }
            }
            break;
          default:
            break;
        }
      }
    }
    if (depth != 0 || event == null) {
      throw new IOException("not a Phoenix frame");
    }
    return new PhoenixFrame(event, ref, status, recordId);
  }
}
