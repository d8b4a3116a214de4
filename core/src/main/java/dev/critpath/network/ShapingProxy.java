package dev.critpath.network;

import dev.critpath.UserError;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on 127.0.0.1 that gives every connection through it its own emulated mobile link
 * ({@link NetworkProfile}): each direction delays bytes by half the round trip (propagation) and
 * lets them out no faster than the direction's bandwidth (serialisation, a token bucket that never
 * bursts above the link rate). Linux netem would do the same in the kernel, but needs a qdisc this
 * kernel lacks and root; the proxy works anywhere and shapes HTTP, WebSocket and PostgreSQL alike.
 *
 * <p>What it models: propagation delay, serialisation delay, a queue in front of each direction (a
 * sender that outruns the link waits, as behind a router buffer), and the TCP handshake (the first
 * client byte leaves one round trip after the connection opens, as after SYN/SYN-ACK). What it does
 * not: packet loss, jitter, retransmission, slow start, the radio's wake-up delay. Timers run on
 * one event-loop thread with millisecond resolution, so deliveries may be up to about a millisecond
 * later than the model says.
 *
 * <p>Two ways in: {@link #forward} relays every connection to one target (point a client at {@link
 * #port()} instead of the server), {@link #connectProxy} speaks HTTP CONNECT, for clients that take
 * a proxy setting (java.net.http with {@code ProxySelector}) and for TLS targets whose certificate
 * must match their real host name.
 */
public final class ShapingProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShapingProxy.class);
  private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final int MIN_CHUNK = 1460; // one Ethernet-sized segment
  private static final int MAX_CHUNK = 16 * 1024;
  private static final int MIN_QUEUE = 64 * 1024;
  private static final int MAX_CONNECT_HEADER = 8 * 1024;
  private static final byte[] CONNECT_OK =
      "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECT_FAILED =
      "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final NetworkProfile profile;
  private final InetSocketAddress target;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread loop;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final Set<Link> links = new HashSet<>();
  private final long oneWayNanos;
  private final long rttNanos;
  private final int chunk;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong failedConnections = new AtomicLong();
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private volatile boolean closed;

  private ShapingProxy(NetworkProfile profile, InetSocketAddress target) throws IOException {
    this.profile = profile;
    this.target = target;
    this.oneWayNanos = profile.oneWay().toNanos();
    this.rttNanos = profile.rtt().toNanos();
    // Small chunks on slow links (a segment at a time), larger ones where 10 ms carry more.
    long tenMsOfSlowerDirection =
        Math.min(profile.downBitsPerSecond(), profile.upBitsPerSecond()) / 8 / 100;
    this.chunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, tenMsOfSlowerDirection));
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.loop = new Thread(this::run, "critpath-shaping-proxy-" + profile.name());
    loop.setDaemon(true);
    loop.start();
  }

  /** A proxy that relays every connection on {@link #port()} to {@code host:port}. */
  public static ShapingProxy forward(String host, int port, NetworkProfile profile) {
    InetSocketAddress addr = new InetSocketAddress(host, port);
    if (addr.isUnresolved()) {
      throw new UserError(
          "cannot apply network profile "
              + profile.name()
              + ": host "
              + host
              + " does not resolve; check the URL or run without --network");
    }
    return open(profile, addr);
  }

  /** An HTTP CONNECT proxy: each tunnel gets its own shaped link to the host it asks for. */
  public static ShapingProxy connectProxy(NetworkProfile profile) {
    return open(profile, null);
  }

  private static ShapingProxy open(NetworkProfile profile, InetSocketAddress target) {
    try {
      return new ShapingProxy(profile, target);
    } catch (IOException e) {
      throw new UserError(
          "cannot apply network profile "
              + profile.name()
              + ": the shaping proxy cannot listen on 127.0.0.1 ("
              + e.getMessage()
              + "); free a local port or run without --network",
          e);
    }
  }

  public NetworkProfile profile() {
    return profile;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** Counters since the proxy started. */
  public Stats stats() {
    return new Stats(connections.get(), failedConnections.get(), bytesUp.get(), bytesDown.get());
  }

  /**
   * @param failedConnections connections the upstream refused or never answered (closed at once)
   */
  public record Stats(long connections, long failedConnections, long bytesUp, long bytesDown) {}

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- event loop (everything below runs on the loop thread only) ----

  private void run() {
    try {
      while (!closed) {
        long waitNanos = fireDueTimers();
        if (waitNanos < 0) {
          selector.select();
        } else if (waitNanos == 0) {
          selector.selectNow();
        } else {
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          handle(key);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        LOG.warn("shaping proxy stopped: {}", e.toString());
      }
    } finally {
      for (Link link : new HashSet<>(links)) {
        link.close();
      }
      closeQuietly(server);
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing selector", e);
      }
    }
  }

  /** Runs every timer that is due; returns nanoseconds to the next one, or -1 for none. */
  private long fireDueTimers() {
    while (true) {
      Timer next = timers.peek();
      if (next == null) {
        return -1;
      }
      long now = System.nanoTime();
      if (next.at - now > 0) {
        return next.at - now;
      }
      timers.poll();
      next.action.run();
    }
  }

  private void schedule(long at, Runnable action) {
    timers.add(new Timer(at, action));
  }

  private void handle(SelectionKey key) {
    try {
      if (!key.isValid()) {
        return;
      }
      if (key.isAcceptable()) {
        accept();
        return;
      }
      Object attachment = key.attachment();
      if (attachment instanceof Link link) {
        link.ready(key);
      }
    } catch (IOException | RuntimeException e) {
      Object attachment = key.attachment();
      if (attachment instanceof Link link) {
        LOG.debug("link closed: {}", e.toString());
        link.close();
      } else {
        LOG.warn("shaping proxy: {}", e.toString());
      }
    }
  }

  private void accept() throws IOException {
    SocketChannel client;
    while ((client = server.accept()) != null) {
      connections.incrementAndGet();
      client.configureBlocking(false);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Link link = new Link(client, System.nanoTime());
      links.add(link);
      link.client.key = client.register(selector, 0, link);
      if (target != null) {
        link.connectUpstream(target);
      } else {
        link.connectHeader = ByteBuffer.allocate(MAX_CONNECT_HEADER);
      }
      link.client.interest(SelectionKey.OP_READ, true);
    }
  }

  private record Timer(long at, Runnable action) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer o) {
      return Long.compare(at - o.at, 0);
    }
  }

  /** One end of a link: a channel and the interest ops both directions want on it. */
  private final class End {
    final SocketChannel channel;
    SelectionKey key;

    End(SocketChannel channel) {
      this.channel = channel;
    }

    void interest(int op, boolean on) {
      if (key == null || !key.isValid()) {
        return;
      }
      int ops = key.interestOps();
      key.interestOps(on ? ops | op : ops & ~op);
    }
  }

  /** One client connection and its upstream: two shaped directions. */
  private final class Link {
    final End client;
    End upstream;
    final long openedAt;
    final Direction up;
    final Direction down;
    ByteBuffer connectHeader;
    boolean upstreamConnected;
    boolean closedLink;

    Link(SocketChannel clientChannel, long openedAt) {
      this.client = new End(clientChannel);
      this.openedAt = openedAt;
      // The handshake: the client's first byte leaves one RTT after connect (SYN, SYN-ACK); a
      // server that speaks first is heard half an RTT after its SYN arrived.
      this.up = new Direction(profile.upBitsPerSecond(), bytesUp, openedAt + rttNanos);
      this.down = new Direction(profile.downBitsPerSecond(), bytesDown, openedAt + rttNanos / 2);
    }

    void connectUpstream(InetSocketAddress address) throws IOException {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      upstream = new End(ch);
      up.to = upstream;
      up.from = client;
      down.from = upstream;
      down.to = client;
      boolean done = ch.connect(address);
      upstream.key = ch.register(selector, 0, this);
      if (done) {
        onUpstreamConnected();
      } else {
        upstream.interest(SelectionKey.OP_CONNECT, true);
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        schedule(
            deadline,
            () -> {
              if (!upstreamConnected && !closedLink) {
                failUpstream("connect timed out");
              }
            });
      }
    }

    void onUpstreamConnected() throws IOException {
      upstreamConnected = true;
      upstream.interest(SelectionKey.OP_READ, true);
      if (connectHeader != null) {
        connectHeader = null;
        // The tunnel's "200" stands for the TCP handshake with the real host: one round trip.
        down.enqueueRaw(ByteBuffer.wrap(CONNECT_OK), System.nanoTime() + rttNanos);
        up.linkFreeAt = System.nanoTime() + rttNanos;
        client.interest(SelectionKey.OP_READ, true);
      }
      up.flushDue();
    }

    void failUpstream(String why) {
      failedConnections.incrementAndGet();
      LOG.debug("upstream connection failed: {}", why);
      if (connectHeader != null) {
        try {
          client.channel.write(ByteBuffer.wrap(CONNECT_FAILED));
        } catch (IOException e) {
          LOG.debug("writing 502", e);
        }
      }
      close();
    }

    void ready(SelectionKey key) throws IOException {
      if (key.channel() == client.channel) {
        client.key = key;
        if (key.isReadable()) {
          if (connectHeader != null) {
            readConnectHeader();
          } else {
            up.read();
          }
        }
        if (key.isValid() && key.isWritable()) {
          down.flushDue();
        }
      } else {
        if (key.isConnectable()) {
          try {
            if (upstream.channel.finishConnect()) {
              upstream.interest(SelectionKey.OP_CONNECT, false);
              onUpstreamConnected();
            }
          } catch (IOException e) {
            failUpstream(e.getMessage());
            return;
          }
        }
        if (key.isValid() && key.isReadable()) {
          down.read();
        }
        if (key.isValid() && key.isWritable()) {
          up.flushDue();
        }
      }
      if (up.finished() && down.finished()) {
        close();
      }
    }

    /** CONNECT host:port HTTP/1.1, headers, blank line; then the tunnel starts. */
    void readConnectHeader() throws IOException {
      int n = client.channel.read(connectHeader);
      if (n < 0) {
        close();
        return;
      }
      String text =
          new String(connectHeader.array(), 0, connectHeader.position(), StandardCharsets.US_ASCII);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        if (!connectHeader.hasRemaining()) {
          failUpstream("CONNECT header too long");
        }
        return;
      }
      String[] requestLine = text.substring(0, text.indexOf("\r\n")).split(" ");
      if (requestLine.length < 2 || !requestLine[0].equalsIgnoreCase("CONNECT")) {
        failUpstream("not a CONNECT request: " + requestLine[0]);
        return;
      }
      String authority = requestLine[1];
      int colon = authority.lastIndexOf(':');
      if (colon < 0) {
        failUpstream("CONNECT without a port: " + authority);
        return;
      }
      String host = authority.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(authority.substring(colon + 1));
      client.interest(SelectionKey.OP_READ, false);
      // Bytes after the header (a client that did not wait for the 200) belong to the tunnel.
      byte[] early = Arrays.copyOfRange(connectHeader.array(), end + 4, connectHeader.position());
      connectUpstream(new InetSocketAddress(host, port));
      if (early.length > 0) {
        up.enqueue(ByteBuffer.wrap(early));
      }
    }

    void close() {
      if (closedLink) {
        return;
      }
      closedLink = true;
      links.remove(this);
      closeQuietly(client.channel);
      if (upstream != null) {
        closeQuietly(upstream.channel);
      }
    }

    /** One direction: a queue of chunks, each with the instant it reaches the other end. */
    private final class Direction {
      final long bitsPerSecond;
      final AtomicLong counter;
      final long maxQueued;
      final ArrayDeque<Chunk> queue = new ArrayDeque<>();
      End from;
      End to;
      long linkFreeAt;
      long queuedBytes;
      boolean sourceEof;
      boolean eofDelivered;
      boolean timerArmed;

      Direction(long bitsPerSecond, AtomicLong counter, long linkFreeAt) {
        this.bitsPerSecond = bitsPerSecond;
        this.counter = counter;
        this.linkFreeAt = linkFreeAt;
        // Room for two bandwidth-delay products: enough to keep the link busy, small enough that
        // a sender that outruns the link feels TCP back-pressure instead of filling memory.
        long bdp =
            bitsPerSecond
                / 8
                * Math.max(rttNanos, TimeUnit.MILLISECONDS.toNanos(1))
                / 1_000_000_000L;
        this.maxQueued = Math.max(MIN_QUEUE, 2 * bdp);
      }

      void read() throws IOException {
        while (queuedBytes < maxQueued) {
          ByteBuffer buf = ByteBuffer.allocate(chunk);
          int n = from.channel.read(buf);
          if (n < 0) {
            sourceEof = true;
            from.interest(SelectionKey.OP_READ, false);
            queue.add(new Chunk(departure(0) + oneWayNanos, null));
            arm();
            return;
          }
          if (n == 0) {
            return;
          }
          buf.flip();
          enqueue(buf);
        }
        from.interest(SelectionKey.OP_READ, false); // back-pressure until the queue drains
      }

      /** Queues bytes that entered the link now: serialised at the link rate, then propagated. */
      void enqueue(ByteBuffer data) {
        int n = data.remaining();
        queue.add(new Chunk(departure(n) + oneWayNanos, data));
        queuedBytes += n;
        arm();
      }

      /** Queues bytes that bypass the link model (the proxy's own CONNECT reply). */
      void enqueueRaw(ByteBuffer data, long deliverAt) {
        queue.add(new Chunk(deliverAt, data));
        queuedBytes += data.remaining();
        arm();
      }

      /** When the last bit of {@code bytes} more leaves the sender's end of the link. */
      private long departure(int bytes) {
        long start = Math.max(System.nanoTime(), linkFreeAt);
        long serialisation = bytes * 8L * 1_000_000_000L / bitsPerSecond;
        linkFreeAt = start + serialisation;
        return linkFreeAt;
      }

      private void arm() {
        Chunk head = queue.peek();
        if (head != null && !timerArmed) {
          timerArmed = true;
          schedule(
              head.deliverAt,
              () -> {
                timerArmed = false;
                if (!closedLink) {
                  try {
                    flushDue();
                    if (up.finished() && down.finished()) {
                      Link.this.close();
                    }
                  } catch (IOException e) {
                    Link.this.close();
                  }
                }
              });
        }
      }

      /** Writes every chunk whose time has come, as far as the receiver takes them. */
      void flushDue() throws IOException {
        if (to == null || (to == upstream && !upstreamConnected)) {
          return;
        }
        long now = System.nanoTime();
        Chunk head;
        while ((head = queue.peek()) != null && head.deliverAt - now <= 0) {
          if (head.data == null) {
            queue.poll();
            eofDelivered = true;
            try {
              to.channel.shutdownOutput();
            } catch (IOException e) {
              LOG.debug("half-close", e);
            }
            continue;
          }
          int written = to.channel.write(head.data);
          counter.addAndGet(written);
          queuedBytes -= written;
          if (head.data.hasRemaining()) {
            to.interest(SelectionKey.OP_WRITE, true); // receiver is full: wait until writable
            return;
          }
          queue.poll();
        }
        to.interest(SelectionKey.OP_WRITE, false);
        if (!sourceEof && queuedBytes < maxQueued && from != null) {
          from.interest(SelectionKey.OP_READ, true);
        }
        arm();
      }

      boolean finished() {
        return sourceEof && eofDelivered && queue.isEmpty();
      }
    }
  }

  private record Chunk(long deliverAt, ByteBuffer data) {}

  private static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      LOG.debug("close", e);
    }
  }
}
