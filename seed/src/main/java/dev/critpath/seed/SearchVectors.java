package dev.critpath.seed;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * messages.search, computed on the client: the server's own to_tsvector('english') of every piece
 * message text is made of (each vocabulary word, planted term, system template and ending) is
 * fetched once, and a message's vector is the pieces' lexemes at their running positions. That is
 * to_tsvector of the whole text, because pieces are separated by blanks, which the parser never
 * joins across, and each piece consumes the same positions wherever it stands; {@link #verify}
 * checks it on the loaded rows. Sending the vector in COPY spares the server the stemming, about
 * two thirds of a message row's load cost (see schema V5).
 */
final class SearchVectors {
  /**
   * A token the parser never splits or stems, appended to learn how many positions a piece uses.
   */
  private static final String MARKER = "zqxvmarker";

  /** Messages whose stored vector is compared with to_tsvector after a load (sampled pages). */
  static final int VERIFIED_MESSAGES = 20_000;

  private static final int MAX_ENTRIES = 512;

  /** The lexemes of one piece, their positions relative to the piece's start, and its length. */
  private record Piece(byte[][] lexemes, int[] offsets, int positions) {}

  private final Piece[] words;
  private final Piece[] terms;
  private final Piece[] templates;
  private final Piece[] endings;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  private SearchVectors(Piece[] words, Piece[] terms, Piece[] templates, Piece[] endings) {
    this.words = words;
    this.terms = terms;
    this.templates = templates;
    this.endings = endings;
  }

  /**
   * Asks the server how its 'english' configuration reads every piece; fails when an order number
   * does not read as its digits.
   */
  static SearchVectors analyse(Connection c, TextGenerator text) throws SQLException {
    for (int number : new int[] {10_000, 54_321, 99_999}) {
      String written = TextGenerator.orderNumberText(number);
      Piece p = analyse(c, List.of(written))[0];
      if (p.positions() != 1
          || p.lexemes().length != 1
          || !Arrays.equals(p.lexemes()[0], digits(number))) {
        throw unexpected("the order number '" + written + "' does not read as " + number);
      }
    }
    return new SearchVectors(
        analyse(c, text.wordTexts()),
        analyse(c, text.termTexts()),
        analyse(c, text.templateTexts()),
        analyse(c, text.endingTexts()));
  }

  private static IllegalStateException unexpected(String what) {
    return new IllegalStateException(
        "the server's 'english' text search configuration is not the stock one ("
            + what
            + "): the seeder cannot compute messages.search for it");
  }

  private static Piece[] analyse(Connection c, List<String> pieces) throws SQLException {
    List<List<byte[]>> lexemes = new ArrayList<>();
    List<List<Integer>> offsets = new ArrayList<>();
    int[] markerAt = new int[pieces.size()];
    for (int i = 0; i < pieces.size(); i++) {
      lexemes.add(new ArrayList<>());
      offsets.add(new ArrayList<>());
    }
    String sql =
        "SELECT s.i, l.lexeme, p.pos"
            + " FROM unnest(?::text[]) WITH ORDINALITY AS s(piece, i),"
            + " LATERAL unnest(to_tsvector('english', s.piece || ' ' || ?)) AS l,"
            + " LATERAL unnest(l.positions) AS p(pos)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array array = c.createArrayOf("text", pieces.toArray());
      ps.setArray(1, array);
      ps.setString(2, MARKER);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int i = rs.getInt(1) - 1;
          String lexeme = rs.getString(2);
          int pos = rs.getInt(3);
          if (lexeme.equals(MARKER)) {
            markerAt[i] = pos;
          } else {
            lexemes.get(i).add(lexeme.getBytes(StandardCharsets.UTF_8));
            offsets.get(i).add(pos - 1);
          }
        }
      }
      array.free();
    }
    Piece[] out = new Piece[pieces.size()];
    for (int i = 0; i < out.length; i++) {
      if (markerAt[i] == 0) {
        throw unexpected("the marker after '" + pieces.get(i) + "' vanished");
      }
      out[i] =
          new Piece(
              lexemes.get(i).toArray(new byte[0][]),
              offsets.get(i).stream().mapToInt(Integer::intValue).toArray(),
              markerAt[i] - 1);
    }
    return out;
  }

  /**
   * Writes the vector of the message {@code text} wrote last on this thread, as one binary COPY
   * field (PostgreSQL's tsvector send format: lexemes in order, each with its positions).
   */
  void write(TextGenerator text, CopyWriter w) {
    TextGenerator.Tokens tokens = text.lastWritten();
    Scratch s = scratch.get();
    s.size = 0;
    int position = 1;
    if (tokens.template >= 0) {
      position = s.add(templates[tokens.template], position);
    }
    for (int i = 0; i < tokens.count; i++) {
      int code = tokens.codes[i];
      if (TextGenerator.Tokens.isWord(code)) {
        position = s.add(words[code], position);
      } else if (TextGenerator.Tokens.isOrderNumber(code)) {
        s.add(digits(tokens.numbers[i]), position);
        position++;
      } else {
        position = s.add(terms[TextGenerator.Tokens.term(code)], position);
      }
    }
    if (tokens.ending >= 0) {
      s.add(endings[tokens.ending], position); // an emoji is a word to the parser
    }
    w.binary(s.buffer, s.encode());
  }

  private static byte[] digits(int number) {
    return Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Compares the stored vector with the server's to_tsvector of the content on a sample of pages
   * (all of them for small tables); any difference fails the seed.
   */
  static void verify(Connection c, long messages) throws SQLException {
    double percent = Math.min(100.0, 100.0 * VERIFIED_MESSAGES / Math.max(1, messages));
    String sql =
        "SELECT count(*) FILTER (WHERE wrong), count(*), min(id::text) FILTER (WHERE wrong)"
            + " FROM (SELECT id, search IS DISTINCT FROM to_tsvector('english', content) AS wrong"
            + " FROM messages TABLESAMPLE SYSTEM ("
            + percent
            + ") REPEATABLE (42)) sampled";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long wrong = rs.getLong(1);
      if (wrong > 0) {
        throw new IllegalStateException(
            wrong
                + " of "
                + rs.getLong(2)
                + " sampled messages have a search vector that differs from"
                + " to_tsvector('english', content) (first: message "
                + rs.getString(3)
                + ")");
      }
    }
  }

  /** One message's entries, sorted and encoded without allocating. */
  private static final class Scratch {
    final byte[][] lexemes = new byte[MAX_ENTRIES][];
    final int[] positions = new int[MAX_ENTRIES];
    int size;
    byte[] buffer = new byte[4096];

    int add(Piece p, int position) {
      for (int j = 0; j < p.lexemes().length; j++) {
        add(p.lexemes()[j], position + p.offsets()[j]);
      }
      return position + p.positions();
    }

    void add(byte[] lexeme, int position) {
      // Insertion sort by lexeme (byte order, as tsvector compares them), then position.
      int i = size++;
      while (i > 0 && compare(lexemes[i - 1], positions[i - 1], lexeme, position) > 0) {
        lexemes[i] = lexemes[i - 1];
        positions[i] = positions[i - 1];
        i--;
      }
      lexemes[i] = lexeme;
      positions[i] = position;
    }

    private static int compare(byte[] a, int pa, byte[] b, int pb) {
      int c = Arrays.compareUnsigned(a, b);
      return c != 0 ? c : Integer.compare(pa, pb);
    }

    /** The tsvector in binary: count, then per lexeme its bytes, a NUL, npos and positions. */
    int encode() {
      int need = 4;
      for (int i = 0; i < size; i++) {
        need += lexemes[i].length + 1 + 4;
      }
      if (buffer.length < need) {
        buffer = new byte[need];
      }
      int at = 4;
      int distinct = 0;
      int i = 0;
      while (i < size) {
        byte[] lexeme = lexemes[i];
        int end = i + 1;
        while (end < size && Arrays.equals(lexemes[end], lexeme)) {
          end++;
        }
        System.arraycopy(lexeme, 0, buffer, at, lexeme.length);
        at += lexeme.length;
        buffer[at++] = 0;
        at = int2(end - i, at);
        for (int j = i; j < end; j++) {
          at = int2(positions[j], at); // weight D: the two high bits stay 0
        }
        distinct++;
        i = end;
      }
      buffer[0] = (byte) (distinct >>> 24);
      buffer[1] = (byte) (distinct >>> 16);
      buffer[2] = (byte) (distinct >>> 8);
      buffer[3] = (byte) distinct;
      return at;
    }

    private int int2(int v, int at) {
      buffer[at] = (byte) (v >>> 8);
      buffer[at + 1] = (byte) v;
      return at + 2;
    }
  }
}
