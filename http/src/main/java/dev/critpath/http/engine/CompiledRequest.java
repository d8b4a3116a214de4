package dev.critpath.http.engine;

import dev.critpath.BuildInfo;
import dev.critpath.http.auth.Credentials;
import dev.critpath.http.scenario.AuthMode;
import dev.critpath.http.scenario.BodySpec;
import dev.critpath.http.scenario.RequestSpec;
import dev.critpath.http.scenario.Template;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A request spec bound to a target and credentials: renders one request per call. A request whose
 * every part is constant is encoded once and written as the same bytes every time.
 */
final class CompiledRequest {
  private static final String USER_AGENT = "critpath/" + BuildInfo.critpathVersion();

  final RequestSpec spec;
  final boolean needsBody;
  final long timeoutNanos;
  private final HttpTarget target;
  private final Credentials credentials;
  private final HttpMethod method;
  private final ByteBuf binary;
  private final ByteBuf encoded;

  CompiledRequest(RequestSpec spec, HttpTarget target, Credentials credentials) {
    this.spec = spec;
    this.target = target;
    this.credentials = credentials;
    this.method = HttpMethod.valueOf(spec.method());
    this.needsBody = spec.needsBody();
    this.timeoutNanos = spec.timeout().toNanos();
    BodySpec body = spec.body();
    if (body.kind() == BodySpec.Kind.BINARY) {
      byte[] bytes = new byte[(int) body.maxBytes()];
      new SplittableRandom(bytes.length).nextBytes(bytes);
      this.binary = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    } else {
      this.binary = null;
    }
    this.encoded = isConstant() ? encodeOnce() : null;
  }

  private boolean isConstant() {
    boolean authConstant = spec.auth() != AuthMode.USER;
    return authConstant
        && spec.path().isConstant()
        && spec.headers().values().stream().allMatch(Template::isConstant)
        && spec.body().isConstant();
  }

  private ByteBuf encodeOnce() {
    FullHttpRequest req = build(null);
    EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
    encoder.writeOutbound(req);
    ByteBuf all = Unpooled.buffer();
    for (Object part = encoder.readOutbound(); part != null; part = encoder.readOutbound()) {
      ByteBuf b = (ByteBuf) part;
      all.writeBytes(b);
      b.release();
    }
    encoder.finishAndReleaseAll();
    return Unpooled.unreleasableBuffer(all);
  }

  /** The request for one iteration. */
  PreparedRequest prepare(IterationContext ctx) {
    if (encoded != null) {
      return new PreparedRequest(spec.method(), spec.path().constant(), encoded, null);
    }
    FullHttpRequest req = build(ctx);
    return new PreparedRequest(spec.method(), req.uri(), null, req);
  }

  private FullHttpRequest build(IterationContext ctx) {
    String uri = target.basePath() + spec.path().render(ctx);
    ByteBuf content = body(ctx);
    FullHttpRequest req =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content, false);
    HttpHeaders h = req.headers();
    h.set(HttpHeaderNames.HOST, target.hostHeader());
    h.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
    h.set(HttpHeaderNames.ACCEPT, "*/*");
    String user = spec.user() == null || ctx == null ? null : spec.user().render(ctx);
    String bearer = credentials.bearer(spec.auth(), user);
    if (bearer != null) {
      h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearer);
      if (credentials.anonKey() != null) {
        h.set("apikey", credentials.anonKey());
      }
    }
    if (spec.body().kind() != BodySpec.Kind.NONE) {
      h.set(HttpHeaderNames.CONTENT_TYPE, spec.body().contentType());
    }
    for (Map.Entry<String, Template> e : spec.headers().entrySet()) {
      h.set(e.getKey(), e.getValue().render(ctx));
    }
    if (content.readableBytes() > 0 || method != HttpMethod.GET && method != HttpMethod.HEAD) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    return req;
  }

  private ByteBuf body(IterationContext ctx) {
    BodySpec body = spec.body();
    switch (body.kind()) {
      case TEXT:
        return Unpooled.wrappedBuffer(body.text().render(ctx).getBytes(StandardCharsets.UTF_8));
      case JSON:
        return Unpooled.wrappedBuffer(body.json().render(ctx).getBytes(StandardCharsets.UTF_8));
      case BINARY:
        {
          long size =
              body.minBytes() == body.maxBytes()
                  ? body.minBytes()
                  : ThreadLocalRandom.current().nextLong(body.minBytes(), body.maxBytes() + 1);
          return binary.retainedSlice(0, (int) size);
        }
      default:
        return Unpooled.EMPTY_BUFFER;
    }
  }
}
