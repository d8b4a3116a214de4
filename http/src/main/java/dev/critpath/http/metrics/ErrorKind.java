package dev.critpath.http.metrics;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/** Why a request failed, as the results count them. */
public enum ErrorKind {
  TIMEOUT("timeout"),
  REFUSED("refused"),
  RESET("reset"),
  TLS("tls"),
  DNS("dns"),
  PROTOCOL("protocol"),
  CLIENT_ERROR("4xx"),
  SERVER_ERROR("5xx"),
  OTHER("other");

  public final String key;

  ErrorKind(String key) {
    this.key = key;
  }

  /** The kind of an unexpected status. */
  /** The kind with this {@link #key}, or null (none, or one this version does not know). */
  public static ErrorKind ofKey(String key) {
    for (ErrorKind k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }

  public static ErrorKind ofStatus(int status) {
    return status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : OTHER;
  }

  /** The kind of a transport failure. */
  public static ErrorKind of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return TLS;
      }
      if (t instanceof UnknownHostException) {
        return DNS;
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return t.getMessage() != null && t.getMessage().contains("timed out") ? TIMEOUT : REFUSED;
      }
      if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof DecoderException) {
        return PROTOCOL;
      }
      if (t instanceof ClosedChannelException || t instanceof IOException) {
        return RESET;
      }
    }
    return OTHER;
  }
}
