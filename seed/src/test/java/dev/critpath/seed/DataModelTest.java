package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.dataset.Ids;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator's pure functions, without a database. */
class DataModelTest {
  private static final Instant ANCHOR = Instant.parse("2025-06-01T00:00:00Z");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 7, 100, 1_000, 4_097, 65_536, 100_003})
  void permutationIsABijectionAndInvertible(long n) {
    Permutation p = new Permutation(n, 42, 1);
    boolean[] seen = new boolean[(int) n];
    for (long x = 0; x < n; x++) {
      long y = p.apply(x);
      assertThat(y).isBetween(0L, n - 1);
      assertThat(seen[(int) y]).as("duplicate image of %d", x).isFalse();
      seen[(int) y] = true;
      assertThat(p.invert(y)).isEqualTo(x);
    }
  }

  @Test
  void aliasTableFollowsItsWeights() {
    AliasTable t = new AliasTable(new double[] {1, 2, 7});
    int[] counts = new int[3];
    for (long i = 0; i < 100_000; i++) {
      counts[t.sample(Mix.hash(1, 2, i))]++;
    }
    assertThat(counts[0] / 100_000.0).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts[1] / 100_000.0).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts[2] / 100_000.0).isCloseTo(0.7, org.assertj.core.data.Offset.offset(0.01));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 9, 10, 42, 10_000, 123_456_789, 999_999_999_999L})
  void binaryIdsAreTheIdScheme(long index) {
    for (Ids.Entity e : Ids.Entity.values()) {
      long msb = ((long) e.code << 32) | 0x4000L;
      long lsb = 0x8000_0000_0000_0000L | CopyWriter.bcd(index);
      assertThat(new java.util.UUID(msb, lsb)).isEqualTo(Ids.uuid(e, index));
    }
  }

  @Test
  void searchTermsAreNotInTheVocabulary() {
    List<String> words = TextGenerator.vocabulary();
    assertThat(words).hasSizeGreaterThan(500);
    for (TextGenerator.Term t : TextGenerator.TERMS) {
      for (String w : words) {
        assertThat(w).as("vocabulary word containing a search term").doesNotContain(t.term());
        assertThat(t.term()).as("search term containing a vocabulary word").isNotEqualTo(w);
      }
      for (String template : List.of("conversation", "assigned", "resolved", "reopened")) {
        assertThat(template).doesNotContain(t.term());
      }
    }
  }

  @Test
  void plantedTermsHitTheirExactCount() {
    long messages = 50_000;
    TextGenerator text = new TextGenerator(messages, 7);
    byte[] buf = new byte[text.maxLength()];
    long[] hits = new long[TextGenerator.TERMS.size()];
    for (long k = 1; k <= messages; k++) {
      String content =
          new String(buf, 0, text.write(k, k % 50 == 0 ? "image" : "text", buf))
              .toLowerCase(Locale.ROOT);
      for (int j = 0; j < hits.length; j++) {
        if (content.contains(TextGenerator.TERMS.get(j).term())) {
          hits[j]++;
        }
      }
    }
    for (int j = 0; j < hits.length; j++) {
      assertThat(hits[j]).isEqualTo(text.termCount(j));
      assertThat(text.searchTerms().get(j).fraction()).isEqualTo((double) hits[j] / messages);
    }
    assertThat(hits[0]).isEqualTo(5); // rare: 0.01 %
    assertThat(hits[1]).isEqualTo(500); // medium: 1 %
    assertThat(hits[2]).isEqualTo(5_000); // common: 10 %
  }

  @Test
  void participantsAreDistinctMembersOfTheConversationsBusiness() {
    DataModel m = new DataModel(Profile.SEED001.plan(), 42, ANCHOR);
    for (long c = 1; c <= 5_000; c++) {
      long[] users = m.participants(c);
      assertThat(users.length).isBetween(2, DataModel.MAX_GROUP);
      assertThat(Arrays.stream(users).distinct().count()).isEqualTo(users.length);
      for (long u : users) {
        assertThat(u).isBetween(1L, 500L);
        assertThat(m.businessOf(u)).isEqualTo(m.businessOf(c));
      }
    }
  }

  @Test
  void messageTimesRiseWithTheIndexInsideTheWindow() {
    DataModel m = new DataModel(Profile.TINY.plan(), 42, ANCHOR);
    long previous = Long.MIN_VALUE;
    long start = DataModel.toPgMicros(ANCHOR.minus(DataModel.WINDOW));
    for (long k = 1; k <= 5_000; k++) {
      long t = m.sentAt(k);
      assertThat(t).isGreaterThanOrEqualTo(previous).isBetween(start, m.anchorMicros());
      previous = t;
    }
  }

  @Test
  void voucherCodesAreUniqueAndStatesHaveExactShares() {
    DataModel m = new DataModel(Profile.LARGE.plan(), 42, ANCHOR);
    Set<String> codes = new HashSet<>();
    long[] states = new long[DataModel.VoucherState.values().length];
    for (long v = 1; v <= 50_000; v++) {
      assertThat(codes.add(m.voucherCode(v))).isTrue();
      states[m.voucherState(v).ordinal()]++;
    }
    assertThat(states).containsExactly(30_000, 12_500, 6_000, 1_500);
    assertThat(m.voucherCount(DataModel.VoucherState.REDEEMED)).isEqualTo(12_500);
  }

  @Test
  void theSameSeedGivesTheSameModelAndAnotherSeedAnother() {
    DataModel a = new DataModel(Profile.TINY.plan(), 1, ANCHOR);
    DataModel b = new DataModel(Profile.TINY.plan(), 1, ANCHOR);
    DataModel c = new DataModel(Profile.TINY.plan(), 2, ANCHOR);
    int differences = 0;
    for (long k = 1; k <= 1_000; k++) {
      assertThat(a.conversationOf(k)).isEqualTo(b.conversationOf(k));
      assertThat(a.text().content(k, "text")).isEqualTo(b.text().content(k, "text"));
      if (!a.text().content(k, "text").equals(c.text().content(k, "text"))) {
        differences++;
      }
    }
    assertThat(differences).isGreaterThan(900);
  }

  @Test
  void profilesHaveTheDocumentedVolumes() {
    assertThat(Profile.SEED001.plan())
        .isEqualTo(new Plan(50, 500, 5_000, 50_000, 50, 2, 85, 5_000));
    Plan small = Profile.SMALL.plan();
    assertThat(small.users()).isEqualTo(10_000);
    assertThat(small.conversations()).isEqualTo(10_000);
    assertThat(small.messages()).isGreaterThanOrEqualTo(100_000);
    assertThat(small.stations()).isEqualTo(50);
    assertThat(small.campaigns()).isEqualTo(2);
    assertThat(small.vouchers()).isEqualTo(170);
    assertThat(small.campaignTargets()).isEqualTo(10_000);
    Plan large = Profile.LARGE.plan();
    assertThat(large.messages()).isEqualTo(1_000_000);
    assertThat(large.conversations()).isEqualTo(100_000);
    assertThat(large.vouchersPerCampaign()).isEqualTo(5_000);
    assertThat(Profile.XLARGE.plan().messages()).isEqualTo(10_000_000);
    assertThat(Profile.DEFAULT).isEqualTo(Profile.SMALL);
  }

  @Test
  void largeHasHotConversationsOfTenThousandMessages() {
    DataModel m = new DataModel(Profile.LARGE.plan(), 42, ANCHOR);
    ConversationStats stats = ConversationStats.compute(m);
    assertThat(stats.messageCount(1)).isGreaterThan(10_000);
    long hot = 0;
    long total = 0;
    for (long c = 1; c <= 100_000; c++) {
      assertThat(stats.messageCount(c)).isPositive();
      if (stats.messageCount(c) >= 10_000) {
        hot++;
      }
      total += stats.messageCount(c);
    }
    assertThat(hot).isGreaterThanOrEqualTo(3);
    assertThat(total).isEqualTo(1_000_000);
    long[] unread = stats.maxUnreadUser();
    assertThat(unread[1]).as("a user with thousands unread").isGreaterThan(1_000);
    Rows rows = new Rows(m, stats, null); // counts only
    assertThat(rows.plannedRows(SeedTable.MESSAGES)).isEqualTo(1_000_000);
    assertThat(rows.plannedRows(SeedTable.VOUCHERS)).isEqualTo(50_000);
    assertThat(rows.plannedRows(SeedTable.REDEMPTIONS)).isEqualTo(12_500);
    assertThat(rows.plannedRows(SeedTable.MESSAGE_READ_RECEIPTS)).isGreaterThan(500_000);
  }

  @Test
  void thePassOverMessagesGivesTheSameCountsOnSeveralThreads() {
    DataModel m = new DataModel(Profile.SMALL.plan(), 42, ANCHOR);
    ConversationStats one = ConversationStats.compute(m, 1);
    ConversationStats three = ConversationStats.compute(m, 3);
    assertThat(three.receipts()).isEqualTo(one.receipts());
    for (long c = 1; c <= m.plan().conversations(); c++) {
      assertThat(three.messageCount(c)).isEqualTo(one.messageCount(c));
      assertThat(three.firstMessage(c)).isEqualTo(one.firstMessage(c));
      assertThat(three.lastMessage(c)).isEqualTo(one.lastMessage(c));
    }
    for (int slot = 0; slot < one.participantRows(); slot++) {
      assertThat(three.unread(slot)).isEqualTo(one.unread(slot));
      assertThat(three.lastRead(slot)).isEqualTo(one.lastRead(slot));
    }
  }

  @Test
  void badProfilesAndScalesAreUserErrors() {
    assertThatThrownBy(() -> Profile.parse("huge"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown seed profile 'huge'")
        .hasMessageContaining("tiny, seed001, small, large, xlarge");
    SeedOptions tiny = SeedOptions.of(Profile.TINY);
    for (double bad : new double[] {-1, 0, Double.NaN, 1e9}) {
      assertThatThrownBy(() -> tiny.withScale(bad))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("--scale");
    }
    assertThatThrownBy(() -> SeedOptions.of(Profile.XLARGE).withScale(100).plan())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("messages");
    assertThatThrownBy(() -> tiny.withJobs(0)).isInstanceOf(UserError.class);
    assertThat(tiny.withScale(0.5).plan().messages()).isEqualTo(2_500);
  }
}
