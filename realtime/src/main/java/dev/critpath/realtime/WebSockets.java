package dev.critpath.realtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * WebSocket connections to one URL, all on a small Netty event loop: a thousand subscribers cost
 * two threads, not two thousand. TLS (wss) verifies the server's name; with a proxy address set,
 * each connection tunnels through it with HTTP CONNECT (the shaping proxy's second mode).
 */
final class WebSockets implements AutoCloseable {
  private static final int MAX_FRAME = 1 << 20;

  /** What a connection reports; called on an event-loop thread. */
  interface Listener {
    /** The upgrade succeeded: frames may be sent. */
    void opened(Channel channel);

    /** One complete text message (UTF-8), with the instant its last frame was read. */
    void text(byte[] utf8, int offset, int length, long receivedNanos);

    /** One complete binary message (Supabase's vsn 2.0.0 user broadcasts). */
    void binary(byte[] bytes, int offset, int length, long receivedNanos);

    /** The connection could not be opened (TCP, proxy, TLS, upgrade refused or timed out). */
    void failed(Throwable cause);

    /** An open connection ended. */
    void closed(String why);
  }

  private final EventLoopGroup group;
  private final URI uri;
  private final String host;
  private final int port;
  private final SslContext ssl;
  private final InetSocketAddress proxy;
  private final Duration timeout;

  WebSockets(URI uri, InetSocketAddress proxy, Duration timeout, int threads) {
    this.uri = uri;
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("wss");
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    this.proxy = proxy;
    this.timeout = timeout;
    try {
      this.ssl = secure ? SslContextBuilder.forClient().build() : null;
    } catch (SSLException e) {
      throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    this.group =
        new NioEventLoopGroup(
            threads,
            r -> {
              Thread t = new Thread(r, "critpath-ws-io-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts opening one connection; the listener hears how it goes. */
  void open(Listener listener) {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline p = ch.pipeline();
                    if (proxy != null) {
                      HttpProxyHandler tunnel = new HttpProxyHandler(proxy);
                      tunnel.setConnectTimeoutMillis(timeout.toMillis());
                      p.addLast(tunnel);
                    }
                    if (ssl != null) {
                      p.addLast(tls(ch));
                    }
                    p.addLast(new HttpClientCodec());
                    p.addLast(new HttpObjectAggregator(64 * 1024));
                    p.addLast(
                        new WebSocketClientProtocolHandler(
                            WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(uri)
                                .customHeaders(new DefaultHttpHeaders())
                                .maxFramePayloadLength(MAX_FRAME)
                                .handshakeTimeoutMillis(timeout.toMillis())
                                .dropPongFrames(true)
                                .handleCloseFrames(false)
                                // the JSON parser rejects bad UTF-8 anyway; byte-wise checking
                                // was the client's largest cost at a thousand subscribers
                                .withUTF8Validator(false)
                                .build()));
                    p.addLast(new WebSocketFrameAggregator(MAX_FRAME));
                    p.addLast(new Frames(listener));
                  }
                });
    if (proxy != null) {
      b.resolver(NoopAddressResolverGroup.INSTANCE); // the proxy resolves the real host
    }
    InetSocketAddress target =
        proxy != null
            ? InetSocketAddress.createUnresolved(host, port)
            : new InetSocketAddress(host, port);
    ChannelFuture connect = b.connect(target);
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            listener.failed(f.cause());
          }
        });
  }

  private SslHandler tls(SocketChannel ch) {
    SslHandler handler = ssl.newHandler(ch.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    handler.setHandshakeTimeoutMillis(timeout.toMillis());
    return handler;
  }

  /** Sends one text message; fire and forget (failures close the channel). */
  static void send(Channel channel, String text) {
    if (channel.isActive()) {
      channel.writeAndFlush(new TextWebSocketFrame(text));
    }
  }

  /** Drops the connection without a close handshake (RST), as a vanished network would. */
  static void abort(Channel channel) {
    if (channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /** Turns Netty's events into the listener's four. */
  private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Listener listener;
    private boolean open;
    private boolean done;
    private String closeReason;

    Frames(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        open = true;
        listener.opened(ctx.channel());
      } else if (evt
          == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
        fail(ctx, new java.util.concurrent.TimeoutException("WebSocket upgrade timed out"));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      long now = System.nanoTime();
      if (frame instanceof TextWebSocketFrame) {
        ByteBuf content = frame.content();
        if (content.hasArray()) {
          listener.text(
              content.array(),
              content.arrayOffset() + content.readerIndex(),
              content.readableBytes(),
              now);
        } else {
          byte[] copy = ByteBufUtil.getBytes(content);
          listener.text(copy, 0, copy.length, now);
        }
      } else if (frame instanceof BinaryWebSocketFrame) {
        byte[] copy = ByteBufUtil.getBytes(frame.content());
        listener.binary(copy, 0, copy.length, now);
      } else if (frame instanceof CloseWebSocketFrame close) {
        closeReason =
            "closed by the server ("
                + close.statusCode()
                + (close.reasonText().isEmpty() ? "" : " " + close.reasonText())
                + ")";
        ctx.close();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (!done) {
        done = true;
        if (open) {
          listener.closed(closeReason == null ? "connection closed" : closeReason);
        } else {
          listener.failed(new java.io.IOException("connection closed before the upgrade"));
        }
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
      if (!done) {
        done = true;
        if (open) {
          listener.closed(ListenScenario.rootMessage(cause));
        } else {
          listener.failed(cause);
        }
      }
      ctx.close();
    }
  }
}
