package dev.critpath.report.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {

  @Test
  void exactDistributionCountsEveryOrdering() {
    assertThat(MannWhitney.distribution(2, 2)).containsExactly(1, 1, 2, 1, 1);
    double[] d = MannWhitney.distribution(10, 12);
    double total = 0;
    for (double c : d) {
      total += c;
    }
    assertThat(total).isEqualTo(646646.0); // C(22, 10)
    // symmetric around m*n/2
    for (int u = 0; u < d.length; u++) {
      assertThat(d[u]).isEqualTo(d[d.length - 1 - u]);
    }
  }

  @Test
  void fullySeparatedSamplesGiveTheSmallestPossiblePValue() {
    double[] low = {1, 2, 3, 4, 5};
    double[] high = {6, 7, 8, 9, 10};
    assertThat(MannWhitney.pValue(low, high)).isCloseTo(2.0 / 252, within(1e-12));
    assertThat(MannWhitney.minimumPValue(5, 5)).isCloseTo(2.0 / 252, within(1e-12));
    assertThat(MannWhitney.minimumPValue(3, 3)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void identicalOrderingsGiveOne() {
    double[] x = {1, 4, 5, 8};
    double[] y = {2, 3, 6, 7};
    assertThat(MannWhitney.pValue(x, y)).isEqualTo(1.0);
  }

  @Test
  void exactAgreesWithTheNormalApproximationOnLargerSamples() {
    Random r = new Random(3);
    double[] x = new double[40];
    double[] y = new double[40];
    for (int i = 0; i < 40; i++) {
      x[i] = r.nextGaussian();
      y[i] = r.nextGaussian() + 0.5;
    }
    double exact = MannWhitney.exact(x, y);
    double approx = new MannWhitneyUTest().mannWhitneyUTest(x, y);
    assertThat(exact).isCloseTo(approx, within(0.01));
  }

  @Test
  void holmAndBenjaminiHochbergAdjustLikeTheTextbook() {
    double[] p = {0.01, 0.04, 0.03, 0.005};
    assertThat(Correction.HOLM.adjust(p)).containsExactly(0.03, 0.06, 0.06, 0.02);
    double[] bh = Correction.BH.adjust(p);
    assertThat(bh[0]).isCloseTo(0.02, within(1e-12));
    assertThat(bh[1]).isCloseTo(0.04, within(1e-12));
    assertThat(bh[2]).isCloseTo(0.04, within(1e-12));
    assertThat(bh[3]).isCloseTo(0.02, within(1e-12));
    assertThat(Correction.NONE.adjust(p)).containsExactly(p);
  }
}
