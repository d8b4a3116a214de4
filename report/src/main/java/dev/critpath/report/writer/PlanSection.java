package dev.critpath.report.writer;

import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.PlanNode;
import dev.critpath.report.model.QueryView;

/** A query's plan: its facts line and the node tree, the hot node marked. */
final class PlanSection {
  private PlanSection() {}

  static void html(StringBuilder h, QueryView q) {
    var plan = q.plan();
    if (plan.isEmpty()) {
      return;
    }
    h.append("<h3>Plan</h3>\n");
    h.append("<p class=\"planfacts\">");
    if (plan.executionMs() != null) {
      h.append("execution ").append(Fmt.ms(plan.executionMs())).append(" · ");
    }
    if (plan.planningMs() != null) {
      h.append("planning ").append(Fmt.ms(plan.planningMs())).append(" · ");
    }
    if (!plan.indexesUsed().isEmpty()) {
      h.append("indexes ").append(Xml.esc(String.join(", ", plan.indexesUsed()))).append(" · ");
    }
    if (plan.fingerprint() != null) {
      h.append("fingerprint <code>").append(Xml.esc(plan.fingerprint())).append("</code>");
    }
    if (plan.file() != null) {
      h.append(" · raw plan <code>").append(Xml.esc(plan.file())).append("</code>");
    }
    h.append("</p>\n");
    if (plan.root() == null) {
      if (plan.shape() != null) {
        h.append("<p class=\"shape\">").append(Xml.esc(plan.shape())).append("</p>\n");
      }
      return;
    }
    Double rootTotal = plan.root().totalMs();
    h.append("<ul class=\"plan\">\n");
    node(h, plan.root(), plan.hotNodeId(), rootTotal);
    h.append("</ul>\n");
  }

  private static void node(StringBuilder h, PlanNode n, int hotId, Double rootTotal) {
    boolean hot = n.id() == hotId && n.exclusiveMs() != null;
    h.append("<li class=\"node").append(hot ? " hot" : "").append("\"");
    if (hot) {
      h.append(" id=\"hot-node\" title=\"the node with the most exclusive time\"");
    }
    h.append("><span class=\"label\">").append(Xml.esc(n.label())).append("</span>");
    if (hot) {
      h.append(" <span class=\"hotmark\">▲ hot node</span>");
    }
    StringBuilder m = new StringBuilder();
    if (n.exclusiveMs() != null) {
      m.append(Fmt.ms(n.exclusiveMs())).append(" self");
      if (rootTotal != null && rootTotal > 0) {
        m.append(" (").append(Fmt.percent(n.exclusiveMs() / rootTotal)).append(')');
      }
    }
    if (n.rows() != null) {
      m.append(m.length() == 0 ? "" : " · ").append("rows ").append(Fmt.rows(n.rows()));
      if (n.planRows() != null) {
        m.append(" (est. ").append(Fmt.rows(n.planRows())).append(')');
      }
    } else if (n.planRows() != null) {
      m.append(m.length() == 0 ? "" : " · ").append("est. rows ").append(Fmt.rows(n.planRows()));
    }
    if (n.loops() != null && n.loops() > 1) {
      m.append(" · loops ").append(n.loops());
    }
    if (n.sharedHit() != null || n.sharedRead() != null) {
      m.append(" · buffers hit ")
          .append(n.sharedHit() == null ? 0 : n.sharedHit())
          .append(" read ")
          .append(n.sharedRead() == null ? 0 : n.sharedRead());
    }
    Double mis = n.misestimate();
    if (mis != null && mis >= 10) {
      m.append(" · misestimate ×").append(Fmt.num(mis));
    }
    if (m.length() > 0) {
      h.append(" <span class=\"metrics\">").append(Xml.esc(m.toString())).append("</span>");
    }
    if (!n.details().isEmpty()) {
      h.append("<div class=\"details\">");
      n.details().forEach(d -> h.append("<div>").append(Xml.esc(d)).append("</div>"));
      h.append("</div>");
    }
    if (!n.children().isEmpty()) {
      h.append("\n<ul>\n");
      n.children().forEach(c -> node(h, c, hotId, rootTotal));
      h.append("</ul>");
    }
    h.append("</li>\n");
  }
}
