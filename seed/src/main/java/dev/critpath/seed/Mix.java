package dev.critpath.seed;

/**
 * Stateless pseudo-randomness: every attribute of every seeded row is a pure function of (seed,
 * purpose, index), so any row can be generated alone, in any order, on any thread, and twice with
 * the same result. The mixer is SplitMix64's finalizer (a bijection on 64 bits).
 */
final class Mix {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final double UNIT = 0x1.0p-53;

  private Mix() {}

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A 64-bit hash of (seed, purpose, index). */
  static long hash(long seed, long purpose, long index) {
    return mix64(mix64(seed + purpose * GOLDEN) + index * GOLDEN);
  }

  /** A 64-bit hash of (seed, purpose, index, sub): for attributes of pairs (message, reader). */
  static long hash(long seed, long purpose, long index, long sub) {
    return mix64(hash(seed, purpose, index) + sub * GOLDEN);
  }

  /** Uniform in [0, 1) from the hash's high 53 bits. */
  static double unit(long hash) {
    return (hash >>> 11) * UNIT;
  }

  /** Uniform in [0, bound) without modulo bias worth caring about (bound far below 2^32). */
  static int below(long hash, int bound) {
    return (int) (((hash >>> 32) * bound) >>> 32);
  }

  /** A small sequential generator for the variable-length parts of one row (message words). */
  static final class Stream {
    private long state;

    Stream(long seed) {
      this.state = seed;
    }

    long next() {
      state += GOLDEN;
      return mix64(state);
    }

    double unit() {
      return Mix.unit(next());
    }

    int below(int bound) {
      return Mix.below(next(), bound);
    }
  }
}
