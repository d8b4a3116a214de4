package dev.critpath.report.writer;

/** Escaping for XML and HTML text and attributes. */
public final class Xml {
  private Xml() {}

  /** Escapes markup characters and drops characters XML 1.0 does not allow. */
  public static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          if (ch >= 0x20 || ch == '\n' || ch == '\r' || ch == '\t') {
            sb.append(ch);
          }
      }
    }
    return sb.toString();
  }
}
