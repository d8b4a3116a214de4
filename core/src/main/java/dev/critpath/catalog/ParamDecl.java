package dev.critpath.catalog;

import java.util.List;

/**
 * One {@code -- param:} line: the names it binds and how their values are drawn.
 *
 * @param names the parameter names; several only for {@code sample(...)}, one per column
 * @param spec how values are drawn
 * @param text the declaration as written, after {@code param:}
 * @param line the 1-based line in the catalog file
 */
public record ParamDecl(List<String> names, SamplerSpec spec, String text, int line) {
  public ParamDecl {
    names = List.copyOf(names);
  }
}
