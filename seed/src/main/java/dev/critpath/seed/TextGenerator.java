package dev.critpath.seed;

import dev.critpath.dataset.DatasetSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Message text: words drawn from a chat vocabulary with a Zipf law over its frequency order (so a
 * few words are everywhere and most are rare, like real text), plus search terms planted in an
 * exact number of messages so that search benchmarks know their selectivity in advance.
 */
final class TextGenerator {
  /**
   * A word planted at a known share of messages; not in the vocabulary, no vocabulary word holds
   * it.
   */
  record Term(String term, String selectivity, double targetFraction) {}

  /** The documented search terms: rare (0.01%), medium (1%), common (10%). */
  static final List<Term> TERMS =
      List.of(
          new Term("quokka", "rare", 0.0001),
          new Term("lavender", "medium", 0.01),
          new Term("invoice", "common", 0.10));

  static final String VOCABULARY_RESOURCE = "/dev/critpath/seed/words.txt";
  static final double WORD_ZIPF_EXPONENT = 1.0;
  static final double WORD_ZIPF_OFFSET = 2.7;
  static final int ORDER_NUMBER_PERCENT = 4;

  /** Relative frequency of message lengths 1..30 words: short messages dominate chat. */
  private static final double[] LENGTH_WEIGHTS = {
    8, 10, 11, 11, 10, 9, 8, 7, 6, 5, 4, 3.5, 3, 2.5, 2, 1.8, 1.6, 1.4, 1.2, 1, 0.9, 0.8, 0.7, 0.6,
    0.5, 0.4, 0.35, 0.3, 0.25, 0.2
  };

  private static final String[] SYSTEM_TEMPLATES = {
    "Conversation assigned to an agent",
    "Customer joined the conversation",
    "Conversation marked as resolved",
    "Automatic reminder sent",
    "Chat transferred to the support team",
    "Conversation reopened"
  };

  private static final String[] ENDINGS = {
    ".", "?", "!", " \uD83D\uDE42", " \uD83D\uDC4D", " \uD83D\uDE4F"
  };

  /** Token codes beside vocabulary indexes (>= 0). */
  private static final int ORDER_NUMBER = -1;

  private static final int TERM_BASE = -100;

  private static final int MAX_TOKENS = 64;

  private final long seed;
  private final byte[][] words;
  private final AliasTable wordZipf;
  private final AliasTable lengths;
  private final byte[][] systemTemplates;
  private final byte[][] endings;
  private final byte[][] termBytes;
  private final Permutation[] termPermutations;
  private final long[] termCounts;
  private final long messages;
  private final ThreadLocal<Tokens> tokens = ThreadLocal.withInitial(Tokens::new);

  /**
   * What the last {@link #write} of this thread put into a message, piece by piece: a system
   * template (or none), then words, order numbers and planted terms. {@link SearchVectors} builds
   * the message's full-text vector from it without parsing the text again.
   */
  static final class Tokens {
    /** Token codes: a vocabulary index (>= 0), {@link #ORDER_NUMBER} or a planted term. */
    final int[] codes = new int[MAX_TOKENS];

    /** The number written for each {@link #ORDER_NUMBER} code, at the same index. */
    final int[] numbers = new int[MAX_TOKENS];

    int count;

    /** Index of the system template the message starts with, or -1. */
    int template;

    /** Index of the ending (punctuation or emoji) after the last word, or -1. */
    int ending;

    static boolean isWord(int code) {
      return code >= 0;
    }

    static boolean isOrderNumber(int code) {
      return code == ORDER_NUMBER;
    }

    /** The planted term's index of a term code. */
    static int term(int code) {
      return TERM_BASE - code;
    }
  }

  TextGenerator(long messages, long seed) {
    this.seed = seed;
    this.messages = messages;
    List<String> vocabulary = vocabulary();
    this.words = new byte[vocabulary.size()][];
    for (int i = 0; i < words.length; i++) {
      words[i] = vocabulary.get(i).getBytes(StandardCharsets.UTF_8);
    }
    this.wordZipf = AliasTable.zipf(words.length, WORD_ZIPF_EXPONENT, WORD_ZIPF_OFFSET);
    this.lengths = new AliasTable(LENGTH_WEIGHTS);
    this.systemTemplates = utf8(SYSTEM_TEMPLATES);
    this.endings = utf8(ENDINGS);
    this.termBytes = new byte[TERMS.size()][];
    this.termPermutations = new Permutation[TERMS.size()];
    this.termCounts = new long[TERMS.size()];
    for (int j = 0; j < TERMS.size(); j++) {
      Term t = TERMS.get(j);
      termBytes[j] = t.term().getBytes(StandardCharsets.UTF_8);
      termPermutations[j] = new Permutation(messages, seed, DataModel.P_TERM * 1000 + j);
      termCounts[j] = Math.max(1, Math.round(t.targetFraction() * messages));
    }
  }

  /** The vocabulary in frequency order (comment lines and duplicates dropped). */
  static List<String> vocabulary() {
    try (InputStream in = TextGenerator.class.getResourceAsStream(VOCABULARY_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + VOCABULARY_RESOURCE);
      }
      Set<String> out = new LinkedHashSet<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          out.add(w);
        }
      }
      return new ArrayList<>(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tokens of this thread's last {@link #write}. */
  Tokens lastWritten() {
    return tokens.get();
  }

  /** The pieces messages are made of, as text: indexed like the token codes that name them. */
  List<String> wordTexts() {
    return decode(words);
  }

  List<String> termTexts() {
    return decode(termBytes);
  }

  List<String> templateTexts() {
    return decode(systemTemplates);
  }

  /** What may follow a message's last word: punctuation and emoji, indexed like the endings. */
  List<String> endingTexts() {
    return decode(endings);
  }

  /** How an order number reads in text: {@code #} and five digits. */
  static String orderNumberText(int number) {
    return "#" + number;
  }

  private static List<String> decode(byte[][] values) {
    List<String> out = new ArrayList<>(values.length);
    for (byte[] v : values) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The planted terms with the share of messages that really contain each. */
  List<DatasetSummary.SearchTerm> searchTerms() {
    List<DatasetSummary.SearchTerm> out = new ArrayList<>();
    for (int j = 0; j < TERMS.size(); j++) {
      out.add(
          new DatasetSummary.SearchTerm(
              TERMS.get(j).term(), TERMS.get(j).selectivity(), (double) termCounts[j] / messages));
    }
    return out;
  }

  long termCount(int term) {
    return termCounts[term];
  }

  boolean planted(int term, long message) {
    return termPermutations[term].apply(message - 1) < termCounts[term];
  }

  /**
   * Writes the content of message k into {@code out} (UTF-8) and returns its length.
   *
   * @param kind text, system, image, video or file: media carry a short caption or none
   */
  int write(long message, String kind, byte[] out) {
    Mix.Stream r = new Mix.Stream(Mix.hash(seed, DataModel.P_TEXT, message));
    Tokens written = tokens.get();
    int[] tok = written.codes;
    int count = 0;
    boolean system = kind.equals("system");
    if (!system) {
      int n;
      if (kind.equals("text")) {
        n = lengths.sample(r.next()) + 1;
      } else {
        n = r.below(10) < 4 ? 0 : 1 + r.below(5);
      }
      for (int i = 0; i < n; i++) {
        tok[count++] = wordZipf.sample(r.next());
      }
      if (r.below(100) < ORDER_NUMBER_PERCENT) {
        count = insert(tok, count, r.below(count + 1), ORDER_NUMBER);
      }
    }
    for (int j = 0; j < termBytes.length; j++) {
      if (planted(j, message)) {
        count = insert(tok, count, system ? count : r.below(count + 1), TERM_BASE - j);
      }
    }
    int pos = 0;
    written.template = -1;
    if (system) {
      written.template = r.below(systemTemplates.length);
      byte[] t = systemTemplates[written.template];
      System.arraycopy(t, 0, out, 0, t.length);
      pos = t.length;
    }
    boolean capitalize = r.below(2) == 0;
    for (int i = 0; i < count; i++) {
      if (pos > 0) {
        out[pos++] = ' ';
      }
      int start = pos;
      int t = tok[i];
      if (t >= 0) {
        byte[] w = words[t];
        System.arraycopy(w, 0, out, pos, w.length);
        pos += w.length;
      } else if (t == ORDER_NUMBER) {
        out[pos++] = '#';
        int number = 10_000 + r.below(90_000);
        written.numbers[i] = number;
        for (int d = 10_000; d > 0; d /= 10) {
          out[pos++] = (byte) ('0' + number / d % 10);
        }
      } else {
        byte[] w = termBytes[TERM_BASE - t];
        System.arraycopy(w, 0, out, pos, w.length);
        pos += w.length;
      }
      if (i == 0 && !system && capitalize && out[start] >= 'a' && out[start] <= 'z') {
        out[start] = (byte) (out[start] - 'a' + 'A');
      }
    }
    written.count = count;
    written.ending = -1;
    if (count > 0 && !system) {
      int e = r.below(100);
      if (e < 50) {
        written.ending = e < 20 ? 0 : e < 35 ? 1 : e < 45 ? 2 : 3 + e % 3;
        byte[] ending = endings[written.ending];
        System.arraycopy(ending, 0, out, pos, ending.length);
        pos += ending.length;
      }
    }
    return pos;
  }

  /** The longest content {@link #write} can produce, for buffer sizing. */
  int maxLength() {
    int longestWord = 0;
    for (byte[] w : words) {
      longestWord = Math.max(longestWord, w.length);
    }
    for (byte[] w : termBytes) {
      longestWord = Math.max(longestWord, w.length);
    }
    int longestTemplate = 0;
    for (byte[] t : systemTemplates) {
      longestTemplate = Math.max(longestTemplate, t.length);
    }
    return longestTemplate + MAX_TOKENS * (longestWord + 1) + 16;
  }

  String content(long message, String kind) {
    byte[] buf = new byte[maxLength()];
    int n = write(message, kind, buf);
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  private static int insert(int[] tok, int count, int at, int value) {
    System.arraycopy(tok, at, tok, at + 1, count - at);
    tok[at] = value;
    return count + 1;
  }

  private static byte[][] utf8(String[] values) {
    byte[][] out = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }
}
