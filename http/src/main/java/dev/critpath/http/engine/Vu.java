package dev.critpath.http.engine;

import dev.critpath.http.metrics.ErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A virtual user: one keep-alive connection and at most one request in flight on it, driven
 * entirely on its event loop (no locks). A request ends exactly once: with its last response byte,
 * its timeout, a transport error, or an interruption.
 */
final class Vu {
  private static final String ENCODER = "encoder";

  /** Bodies kept for checks are capped; larger ones are counted, not kept. */
  static final int MAX_BODY_CAPTURE = 16 * 1024 * 1024;

  /** Failed responses keep this much of their body for messages. */
  static final int SAMPLE_CAPTURE = 1024;

  final int id;
  final EventLoop loop;
  private final HttpEngine engine;
  private final InetSocketAddress connectTo;
  private Channel channel;
  private Exchange current;
  private Channel encoderOf;
  private ChannelHandlerContext beforeEncoder;

  /** Iterations this VU ran (per-vu-iterations). */
  long iterations;

  Vu(int id, EventLoop loop, HttpEngine engine, InetSocketAddress connectTo) {
    this.id = id;
    this.loop = loop;
    this.engine = engine;
    this.connectTo = connectTo;
  }

  private final class Exchange {
    final PreparedRequest request;
    final boolean captureBody;
    final Consumer<Response> done;
    final long timeoutNanos;
    final Response response = new Response();
    ScheduledFuture<?> timeout;
    ByteArrayOutputStream body;
    boolean keepAlive = true;
    boolean finished;
    boolean reused;
    boolean retried;
    Channel connecting;
    Channel on;

    Exchange(
        PreparedRequest request, long timeoutNanos, boolean captureBody, Consumer<Response> done) {
      this.request = request;
      this.timeoutNanos = timeoutNanos;
      this.captureBody = captureBody;
      this.done = done;
    }
  }

  /** Sends {@code request}; {@code done} runs on this VU's loop. Call on the loop. */
  void send(
      PreparedRequest request, long timeoutNanos, boolean captureBody, Consumer<Response> done) {
    Exchange ex = new Exchange(request, timeoutNanos, captureBody, done);
    current = ex;
    ex.response.startNanos = System.nanoTime();
    ex.timeout =
        loop.schedule(
            () ->
                fail(
                    ex,
                    ErrorKind.TIMEOUT,
                    "no response within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"),
            timeoutNanos,
            TimeUnit.NANOSECONDS);
    if (channel != null && channel.isActive()) {
      ex.reused = true;
      write(ex, channel);
    } else {
      connect(ex);
    }
  }

  private void connect(Exchange ex) {
    long started = System.nanoTime();
    int connectMillis =
        (int)
            Math.max(
                1,
                Math.min(
                    TimeUnit.NANOSECONDS.toMillis(ex.timeoutNanos),
                    HttpEngine.MAX_CONNECT_TIMEOUT.toMillis()));
    ChannelFuture f =
        engine.bootstrap(loop, connectMillis).handler(new Initializer()).connect(connectTo);
    Channel ch = f.channel();
    channel = ch;
    ex.connecting = ch;
    f.addListener(
        future -> {
          if (ex.finished || current != ex) {
            ch.close();
            return;
          }
          if (!future.isSuccess()) {
            if (channel == ch) {
              channel = null;
            }
            fail(ex, ErrorKind.of(future.cause()), describe(future.cause()));
            return;
          }
          SslHandler tls = ch.pipeline().get(SslHandler.class);
          if (tls == null) {
            ex.response.connectNanos = System.nanoTime() - started;
            write(ex, ch);
            return;
          }
          tls.handshakeFuture()
              .addListener(
                  hs -> {
                    if (ex.finished || current != ex) {
                      return;
                    }
                    if (!hs.isSuccess()) {
                      fail(
                          ex,
                          ErrorKind.TLS,
                          "TLS handshake with "
                              + engine.target.host()
                              + " failed: "
                              + describe(hs.cause()));
                      return;
                    }
                    ex.response.connectNanos = System.nanoTime() - started;
                    write(ex, ch);
                  });
        });
  }

  private void write(Exchange ex, Channel ch) {
    ex.on = ch;
    ex.response.sentNanos = System.nanoTime();
    Object msg = ex.request.message();
    if (ex.request.encoded != null) {
      // prebuilt bytes bypass the encoder, written from its context (handlers before it)
      if (encoderOf != ch) {
        beforeEncoder = ch.pipeline().context(ENCODER);
        encoderOf = ch;
      }
      beforeEncoder.writeAndFlush(msg, ch.voidPromise());
    } else {
      ch.writeAndFlush(msg, ch.voidPromise());
    }
  }

  /** Ends the request in flight without reporting it (the scenario is being stopped). */
  void interrupt() {
    Exchange ex = current;
    if (ex != null && !ex.finished) {
      ex.finished = true;
      ex.timeout.cancel(false);
      current = null;
      closeChannel();
      ex.request.release();
      ex.response.interrupted = true;
      ex.response.endNanos = System.nanoTime();
      ex.done.accept(ex.response);
    }
  }

  /** Closes the connection (end of the scenario). */
  void close() {
    closeChannel();
  }

  private void closeChannel() {
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      ch.close();
    }
  }

  private void complete(Exchange ex) {
    if (ex.finished) {
      return;
    }
    ex.finished = true;
    ex.timeout.cancel(false);
    current = null;
    Response r = ex.response;
    r.endNanos = System.nanoTime();
    if (ex.body != null) {
      r.body = ex.body.toByteArray();
    }
    if (!ex.keepAlive) {
      closeChannel();
    }
    ex.request.release();
    ex.done.accept(r);
  }

  private void fail(Exchange ex, ErrorKind kind, String message) {
    if (ex.finished) {
      return;
    }
    Response r = ex.response;
    Channel used = ex.on != null ? ex.on : ex.connecting;
    if (used != null) {
      if (channel == used) {
        channel = null;
      }
      used.close();
    }
    // A kept-alive connection the server had already closed: retry once on a new one, as
    // browsers do, so idle-connection reaping is not mistaken for a failing server.
    if (ex.reused && !ex.retried && kind == ErrorKind.RESET && r.firstByteNanos < 0) {
      ex.retried = true;
      ex.reused = false;
      ex.on = null;
      ex.connecting = null;
      connect(ex);
      return;
    }
    ex.finished = true;
    ex.timeout.cancel(false);
    current = null;
    r.endNanos = System.nanoTime();
    r.error = kind;
    r.errorMessage = message;
    if (ex.body != null) {
      r.body = ex.body.toByteArray();
    }
    ex.request.release();
    ex.done.accept(r);
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }

  private final class Initializer extends ChannelInitializer<Channel> {
    @Override
    protected void initChannel(Channel ch) {
      if (engine.ssl != null) {
        ch.pipeline()
            .addLast(engine.ssl.newHandler(ch.alloc(), engine.target.host(), engine.target.port()));
      }
      ch.pipeline()
          .addLast(new Decoder())
          .addLast(ENCODER, new HttpRequestEncoder())
          .addLast(new Handler(ch));
    }
  }

  /** Knows when a response cannot have a body (the request was HEAD). */
  private final class Decoder extends HttpResponseDecoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      Exchange ex = current;
      return (ex != null && ex.request.isHead()) || super.isContentAlwaysEmpty(msg);
    }
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final Channel ch;

    Handler(Channel ch) {
      this.ch = ch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        Exchange ex = current;
        if (ex == null || ex.finished || ex.on != ch || !(msg instanceof HttpObject)) {
          return;
        }
        HttpObject obj = (HttpObject) msg;
        if (obj.decoderResult().isFailure()) {
          fail(
              ex,
              ErrorKind.PROTOCOL,
              "invalid HTTP response: " + describe(obj.decoderResult().cause()));
          return;
        }
        if (msg instanceof HttpResponse) {
          HttpResponse head = (HttpResponse) msg;
          Response r = ex.response;
          r.firstByteNanos = System.nanoTime();
          r.status = head.status().code();
          r.headers = head.headers();
          ex.keepAlive = HttpUtil.isKeepAlive(head);
          if (ex.captureBody || r.status >= 400) {
            ex.body = new ByteArrayOutputStream();
          }
        }
        if (msg instanceof HttpContent) {
          ByteBuf content = ((HttpContent) msg).content();
          int n = content.readableBytes();
          ex.response.bodyBytes += n;
          if (ex.body != null) {
            int cap = ex.captureBody ? MAX_BODY_CAPTURE : SAMPLE_CAPTURE;
            int take = Math.min(n, cap - ex.body.size());
            if (take > 0) {
              content.getBytes(content.readerIndex(), ex.body, take);
            }
          }
          if (msg instanceof LastHttpContent) {
            complete(ex);
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (channel == ch) {
        channel = null;
      }
      Exchange ex = current;
      if (ex != null && ex.on == ch && !ex.finished) {
        fail(ex, ErrorKind.RESET, "connection closed before the response ended");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Exchange ex = current;
      if (ex != null && ex.on == ch && !ex.finished) {
        fail(ex, ErrorKind.of(cause), describe(cause));
      } else if (channel == ch) {
        channel = null;
      }
      ctx.close();
    }
  }
}
