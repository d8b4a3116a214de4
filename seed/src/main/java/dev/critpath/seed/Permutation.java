package dev.critpath.seed;

/**
 * A keyed pseudo-random permutation of {@code [0, n)} (a balanced Feistel network with cycle
 * walking), invertible and stateless. It picks exact-size subsets with dense numbering: element x
 * belongs to a subset of size m exactly when {@code apply(x) < m}, and {@code apply(x)} numbers it.
 * That is how exactly 1% of messages carry a search term, and how the messages with attachments map
 * onto attachment ids 1..A.
 */
final class Permutation {
  private static final int ROUNDS = 4;

  private final long n;
  private final int halfBits;
  private final long halfMask;
  private final long[] keys = new long[ROUNDS];

  Permutation(long n, long seed, long purpose) {
    if (n < 1) {
      throw new IllegalArgumentException("empty permutation");
    }
    this.n = n;
    int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(n - 1));
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
    for (int r = 0; r < ROUNDS; r++) {
      keys[r] = Mix.hash(seed, purpose, r);
    }
  }

  long size() {
    return n;
  }

  long apply(long x) {
    long y = x;
    do {
      y = encrypt(y);
    } while (y >= n);
    return y;
  }

  long invert(long y) {
    long x = y;
    do {
      x = decrypt(x);
    } while (x >= n);
    return x;
  }

  private long encrypt(long v) {
    long left = v >>> halfBits;
    long right = v & halfMask;
    for (int r = 0; r < ROUNDS; r++) {
      long next = left ^ (Mix.mix64(right ^ keys[r]) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  private long decrypt(long v) {
    long left = v >>> halfBits;
    long right = v & halfMask;
    for (int r = ROUNDS - 1; r >= 0; r--) {
      long prev = right ^ (Mix.mix64(left ^ keys[r]) & halfMask);
      right = left;
      left = prev;
    }
    return (left << halfBits) | right;
  }
}
