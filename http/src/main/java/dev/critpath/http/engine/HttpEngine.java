package dev.critpath.http.engine;

import dev.critpath.UserError;
import dev.critpath.network.NetworkProfile;
import dev.critpath.network.ShapingProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The HTTP client: Netty event loops (one per core) on which every virtual user owns one keep-alive
 * connection, as wrk's connections and k6's VUs do. Requests that never change are written as
 * prebuilt bytes; responses are decoded without aggregation and their bodies kept only when a check
 * needs them.
 */
public final class HttpEngine implements AutoCloseable {
  /** A TCP connect that takes longer than this fails, whatever the request timeout. */
  static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  final HttpTarget target;
  private final InetSocketAddress address;
  final SslContext ssl;
  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final AtomicInteger vuIds = new AtomicInteger();
  private final EventLoop[] loops;

  public HttpEngine(HttpTarget target) {
    this(target, Runtime.getRuntime().availableProcessors());
  }

  public HttpEngine(HttpTarget target, int threads) {
    this.target = target;
    this.address = target.address();
    try {
      this.ssl = target.tls() ? SslContextBuilder.forClient().build() : null;
    } catch (SSLException e) {
      throw new UserError("cannot set up TLS for " + target.url() + ": " + e.getMessage());
    }
    this.group = new NioEventLoopGroup(threads, new DefaultThreadFactory("critpath-http", true));
    this.loops = new EventLoop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = group.next();
    }
    this.bootstrap =
        new Bootstrap()
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true);
  }

  public HttpTarget target() {
    return target;
  }

  /** The target's address, resolved once. */
  InetSocketAddress address() {
    return address;
  }

  /**
   * A new virtual user on the next event loop (round robin) that opens its connections to {@code
   * via}: the target's address, or a {@link #shape shaping proxy} in front of it.
   */
  Vu newVu(InetSocketAddress via) {
    EventLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    return new Vu(vuIds.incrementAndGet(), loop, this, via);
  }

  /**
   * A shaping proxy in front of the target: every connection through it gets its own emulated
   * {@code profile} link. It forwards bytes, so TLS stays end to end: the handshake (SNI, the
   * certificate) still names the target's host and pays its round trips on the link.
   */
  ShapingProxy shape(NetworkProfile profile) {
    return ShapingProxy.forward(target.host(), target.port(), profile);
  }

  Bootstrap bootstrap(EventLoop loop, int connectTimeoutMillis) {
    return bootstrap.clone(loop).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
