package dev.critpath.report.writer;

import dev.critpath.report.model.FindingView;
import dev.critpath.report.model.Fmt;
import java.util.List;

/** The index health findings of the run. */
final class IndexHealthSection {
  private IndexHealthSection() {}

  static void html(StringBuilder h, List<FindingView> findings) {
    h.append("<section id=\"index-health\"><h2>Index health</h2>\n");
    if (findings.isEmpty()) {
      h.append("<p class=\"empty\">No index health findings in this run.</p></section>\n");
      return;
    }
    h.append("<table class=\"grid findings\"><thead><tr><th>severity</th><th>rule</th>")
        .append("<th>subject</th><th>finding</th><th>fix</th></tr></thead><tbody>\n");
    for (FindingView f : findings) {
      h.append("<tr class=\"")
          .append(Xml.esc(f.severity()))
          .append("\"><td>")
          .append(Xml.esc(f.severity()))
          .append("</td><td>")
          .append(Xml.esc(f.rule() == null ? Fmt.NONE : f.rule()))
          .append("</td><td>")
          .append(Xml.esc(f.subject() == null ? Fmt.NONE : f.subject()))
          .append("</td><td>")
          .append(Xml.esc(f.message() == null ? Fmt.NONE : f.message()))
          .append("</td><td>")
          .append(f.fix() == null ? Fmt.NONE : "<code>" + Xml.esc(f.fix()) + "</code>")
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }
}
