package dev.critpath.report.writer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Chart.js from its WebJar on the classpath, ready to inline into a report: the HTML needs no
 * network and no CDN. Loaded once.
 */
public final class ChartJs {
  private static final String POM = "/META-INF/maven/org.webjars.npm/chart.js/pom.properties";
  private static final String SCRIPT = "/META-INF/resources/webjars/chart.js/%s/dist/chart.umd.js";
  private static volatile String script;

  /**
   * How every report page's own script begins: it reads the chart data from the JSON block and
   * draws without animation; the caller closes the function with {@code })();}.
   */
  public static final String PAGE_SCRIPT_START =
      """
      (function () {
        var data = JSON.parse(document.getElementById('critpath-data').textContent);
        window.critpathCharts = [];
        if (typeof Chart === 'undefined') { return; }
        Chart.defaults.animation = false;
        Chart.defaults.maintainAspectRatio = false;
      """;

  private ChartJs() {}

  public static String version() {
    Properties props = new Properties();
    try (InputStream in = ChartJs.class.getResourceAsStream(POM)) {
      if (in == null) {
        throw new IllegalStateException("the Chart.js WebJar is not on the classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }

  /** The UMD bundle, without its source-map comment (the map is not shipped). */
  public static String script() {
    String s = script;
    if (s == null) {
      String path = String.format(SCRIPT, version());
      try (InputStream in = ChartJs.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException(path + " is missing from the Chart.js WebJar");
        }
        s =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("(?m)^//# sourceMappingURL=.*$", "")
                // an inline script ends at the first "</script", wherever it appears
                .replace("</script", "<\\/script");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      script = s;
    }
    return s;
  }
}
