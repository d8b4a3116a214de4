package dev.critpath.report.writer;

/**
 * The report page's inline style sheet and the script that draws its charts from the JSON block.
 */
final class HtmlAssets {
  private HtmlAssets() {}

  static final String CSS =
      """
      :root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --muted: #57606a; }
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
             color: #1f2328; background: #f6f8fa; }
      header, main, footer { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
      header { background: #fff; border-bottom: 1px solid #d0d7de; }
      h1 { font-size: 22px; margin: 8px 0; }
      h2 { font-size: 18px; margin: 0 0 8px; }
      h3 { font-size: 15px; margin: 14px 0 6px; }
      section, .scenario { background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
                           padding: 12px 16px; margin: 14px 0; }
      .verdict { padding: 2px 10px; border-radius: 12px; color: #fff; background: var(--warn); }
      .verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
      .pill { font-size: 12px; font-weight: normal; padding: 1px 8px; border-radius: 10px;
              border: 1px solid #d0d7de; }
      .pill.fail { color: var(--fail); border-color: var(--fail); }
      .pill.pass { color: var(--pass); border-color: var(--pass); }
      table { border-collapse: collapse; }
      table.facts th { text-align: left; color: var(--muted); font-weight: normal;
                       padding: 1px 12px 1px 0; vertical-align: top; }
      table.grid { width: 100%; margin: 6px 0; }
      table.grid th, table.grid td { border-bottom: 1px solid #d8dee4; padding: 4px 8px;
                                     text-align: left; vertical-align: top; }
      table.checks td:nth-child(3) { white-space: nowrap; }
      table.findings code { white-space: pre-wrap; } /* a fix of several statements, one a line */
      tr.fail td, tr.error td { background: #ffebe9; } tr.warn td { background: #fff8c5; }
      pre.sql { background: #f6f8fa; padding: 8px; overflow-x: auto; }
      .charts { display: flex; flex-wrap: wrap; gap: 12px; }
      figure { margin: 0; flex: 1 1 340px; min-width: 300px; }
      figcaption { color: var(--muted); font-size: 12px; }
      .chart { position: relative; height: 220px; }
      ul.plan, ul.plan ul { list-style: none; padding-left: 18px; border-left: 1px dashed #d0d7de; }
      ul.plan { padding-left: 4px; border-left: none; }
      li.node { margin: 3px 0; }
      li.node > .label { font-family: ui-monospace, monospace; font-weight: 600; }
      li.node.hot > .label { color: var(--fail); }
      .hotmark { font-size: 12px; color: var(--fail); }
      .metrics { color: var(--muted); font-size: 12px; }
      .details { color: var(--muted); font-size: 12px; font-family: ui-monospace, monospace;
                 padding-left: 12px; }
      .empty, footer, .note { color: var(--muted); }
      h4 { font-size: 14px; margin: 10px 0 4px; }
      .rt-scenario { border-top: 1px solid #d8dee4; padding-top: 6px; margin-top: 10px; }
      tr.skip td { background: #f6f8fa; }
      .connection-errors { color: var(--fail); }
      """;

  static final String CHART_SCRIPT =
      ChartJs.PAGE_SCRIPT_START
          + """
        function draw(id, config) {
          var el = document.getElementById(id);
          if (el) { window.critpathCharts.push(new Chart(el, config)); }
        }
        function ms(title) { return { beginAtZero: true, title: { display: true, text: title } }; }
        function percentiles(item) {
          var p = item.percentiles;
          if (!p) { return; }
          var sets = [{ label: 'latency (ms)', data: p.values, backgroundColor: '#4e79a7' }];
          if (p.target !== undefined) {
            sets.push({ type: 'line', label: 'target', data: p.labels.map(function () { return p.target; }),
                        borderColor: '#cf222e', borderDash: [6, 4], pointRadius: 0 });
          }
          draw('pct-' + item.id, { type: 'bar', data: { labels: p.labels, datasets: sets },
                                   options: { scales: { y: ms('ms') } } });
        }
        data.queries.forEach(function (q) {
          percentiles(q);
          if (q.histogram) {
            draw('hist-' + q.id, { type: 'bar',
              data: { labels: q.histogram.labels,
                      datasets: [{ label: 'samples', data: q.histogram.counts, backgroundColor: '#59a14f',
                                   barPercentage: 1.0, categoryPercentage: 1.0 }] },
              options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'samples' } } } } });
          }
          if (q.throughput) {
            var sets = [{ label: 'ops/s', data: q.throughput.ops, borderColor: '#f28e2b', yAxisID: 'y' }];
            if (q.throughput.p95.some(function (v) { return v !== null; })) {
              sets.push({ label: 'p95 (ms)', data: q.throughput.p95, borderColor: '#4e79a7', yAxisID: 'y1' });
            }
            draw('thr-' + q.id, { type: 'line', data: { labels: q.throughput.threads, datasets: sets },
              options: { scales: { x: { title: { display: true, text: 'concurrent clients' } },
                                   y: ms('ops/s'), y1: Object.assign(ms('p95 ms'), { position: 'right',
                                   display: sets.length > 1, grid: { drawOnChartArea: false } }) } } });
          }
        });
        data.http.forEach(function (s) {
          percentiles(s);
          if (s.timeline) {
            draw('tl-' + s.id, { type: 'line',
              data: { labels: s.timeline.t, datasets: [
                { label: 'req/s', data: s.timeline.rps, borderColor: '#f28e2b', yAxisID: 'y', pointRadius: 0 },
                { label: 'p95 (ms)', data: s.timeline.p95, borderColor: '#4e79a7', yAxisID: 'y1', pointRadius: 0 }] },
              options: { scales: { x: { title: { display: true, text: 'second' } }, y: ms('req/s'),
                                   y1: Object.assign(ms('p95 ms'), { position: 'right',
                                   grid: { drawOnChartArea: false } }) } } });
          }
        });
        (data.server || []).forEach(function (s) {
          var colors = ['#e15759', '#4e79a7', '#edc948', '#b07aa1'];
          draw(s.id, { type: 'line',
            data: { labels: s.t, datasets: s.sets.map(function (set, i) {
              return { label: set.label, data: set.values, borderColor: colors[i % colors.length],
                       yAxisID: set.cpu ? 'y1' : 'y', pointRadius: 0, spanGaps: false }; }) },
            options: { scales: { x: { title: { display: true, text: 'second' } }, y: ms('count'),
                                 y1: Object.assign(ms('CPU %'), { position: 'right', max: 100,
                                 grid: { drawOnChartArea: false } }) } } });
        });
        var rt = data.realtime;
        if (rt) {
          var colors = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
          var sets = rt.delivery.map(function (s, i) {
            return { label: s.name, data: s.values, backgroundColor: colors[i % colors.length] };
          });
          rt.delivery.forEach(function (s, i) {
            if (s.target !== undefined) {
              sets.push({ type: 'line', label: s.name + ' target', data: rt.labels.map(function () { return s.target; }),
                          borderColor: colors[i % colors.length], borderDash: [6, 4], pointRadius: 0 });
            }
          });
          draw('rt-delivery', { type: 'bar', data: { labels: rt.labels, datasets: sets },
                                options: { scales: { y: ms('ms') } } });
          draw('rt-timing', { type: 'bar', data: { labels: rt.timingLabels, datasets: rt.timing.map(function (s, i) {
                                return { label: s.name, data: s.values, backgroundColor: colors[i % colors.length] }; }) },
                              options: { scales: { y: ms('ms') } } });
        }
      })();
      """;
}
