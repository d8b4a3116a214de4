package dev.critpath.http.engine;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * One request ready to write: either bytes encoded once for a request that never changes (the fast
 * path, as wrk writes a prebuilt buffer) or a full request object for the HTTP encoder.
 */
final class PreparedRequest {
  final String method;
  final String uri;
  final ByteBuf encoded;
  final FullHttpRequest request;

  PreparedRequest(String method, String uri, ByteBuf encoded, FullHttpRequest request) {
    this.method = method;
    this.uri = uri;
    this.encoded = encoded;
    this.request = request;
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  /** What to write for one send (a fresh reference: writes release what they are given). */
  Object message() {
    return encoded != null ? encoded.retainedDuplicate() : request.retainedDuplicate();
  }

  /** Frees the request's buffer once it will not be sent again. */
  void release() {
    if (request != null && request.refCnt() > 0) {
      request.release();
    }
  }
}
