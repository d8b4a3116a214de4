package dev.critpath.seed;

/**
 * Walker's alias method: draws from a fixed discrete distribution in O(1) from one 64-bit hash.
 * Used for every skewed choice (Zipf over conversations, users and words; message lengths).
 */
final class AliasTable {
  private final double[] probability;
  private final int[] alias;

  /**
   * @param weights non-negative, at least one positive
   */
  AliasTable(double[] weights) {
    int n = weights.length;
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    probability = new double[n];
    alias = new int[n];
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / total;
      if (scaled[i] < 1.0) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int s = small[--smallCount];
      int l = large[--largeCount];
      probability[s] = scaled[s];
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0) {
        small[smallCount++] = l;
      } else {
        large[largeCount++] = l;
      }
    }
    while (largeCount > 0) {
      probability[large[--largeCount]] = 1.0;
    }
    while (smallCount > 0) {
      probability[small[--smallCount]] = 1.0;
    }
  }

  /** Zipf weights 1/(rank + offset)^exponent for ranks 1..n. */
  static AliasTable zipf(int n, double exponent, double offset) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 1.0 / StrictMath.pow(i + 1 + offset, exponent);
    }
    return new AliasTable(w);
  }

  int size() {
    return probability.length;
  }

  /** An index in [0, size) drawn with the table's weights. */
  int sample(long hash) {
    int column = Mix.below(hash, probability.length);
    double coin = (hash & 0xFFFFFFFFL) * 0x1.0p-32;
    return coin < probability[column] ? column : alias[column];
  }
}
