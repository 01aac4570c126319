/*
 * Declarative ECharts charts.
 *
 *   <div class="chart" data-chart="line|bar|sparkline" data-source="ID"></div>
 *   {{ chart_data|json_script:"ID" }}
 *
 * JSON: {title?, x: [...], series: [{name, data, type?, lower?, upper?, dashed?, area?, stack?}],
 *        unit?, y_name?, y_zero?, horizontal?, target?, target_label?, band_label?, empty_text?}
 * All labels come from the JSON (the server localises them). See docs/frontend.md.
 */
(function () {
  "use strict";

  var I = window.Industria;
  if (!I || !I.register) throw new Error("charts.js: load industria.js first");

  function hasValues(arr) {
    return Array.isArray(arr) && arr.some(function (v) {
      return v != null && !isNaN(v);
    });
  }

  /* Colour dot styled by class (.chart-marker.c-N in industria.css), so the
   * tooltip needs no inline style attribute under a strict style-src. Series
   * with a custom colour fall back to ECharts' own (inline-styled) marker. */
  function marker(p) {
    var m = /^s-(\d+)$/.exec(String(p.seriesId));
    if (m && p.color === I.palette()[Number(m[1]) % I.palette().length]) {
      return '<span class="chart-marker c-' + (Number(m[1]) % 8) + '"></span>';
    }
    return p.marker;
  }

  function axisTooltip(spec, bands) {
    return function (params) {
      if (!params.length) return "";
      var idx = params[0].dataIndex;
      var head = I.escapeHtml(spec.x[idx]);
      var rows = [];
      params.forEach(function (p) {
        if (String(p.seriesId).indexOf("band-") === 0) return;
        var v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
        if (v == null || (typeof v === "number" && isNaN(v))) return; // e.g. actuals in forecast years
        rows.push(marker(p) + I.escapeHtml(p.seriesName) + ": <b>" + I.escapeHtml(I.formatNumber(v, spec.unit)) + "</b>");
      });
      bands.forEach(function (b) {
        var lo = b.lower[idx], hi = b.upper[idx];
        if (lo == null || hi == null) return;
        rows.push(
          I.escapeHtml(b.label) + ": " + I.escapeHtml(I.formatNumber(lo)) + " – " + I.escapeHtml(I.formatNumber(hi, spec.unit))
        );
      });
      return head + "<br>" + rows.join("<br>");
    };
  }

  /** Two stacked helper series drawing the interval lower..upper as a filled band. */
  function bandSeries(s, i, color) {
    var stack = "band-" + i;
    var diff = s.upper.map(function (hi, k) {
      var lo = s.lower[k];
      return hi == null || lo == null ? null : hi - lo;
    });
    var common = {
      type: "line",
      stack: stack,
      stackStrategy: "all", // band may straddle zero
      symbol: "none",
      silent: true,
      lineStyle: { opacity: 0 },
      emphasis: { disabled: true },
      tooltip: { show: false },
      z: 1,
    };
    return [
      Object.assign({}, common, { id: "band-lo-" + i, name: s.name, data: s.lower }),
      Object.assign({}, common, {
        id: "band-hi-" + i,
        name: s.name,
        data: diff,
        areaStyle: { color: color, opacity: 0.18 },
      }),
    ];
  }

  function lineOrBarOptions(kind, spec) {
    var palette = I.palette();
    var series = [];
    var bands = [];
    var horizontal = kind === "bar" && !!spec.horizontal;
    (spec.series || []).forEach(function (s, i) {
      var color = s.color || palette[i % palette.length];
      var type = s.type || (kind === "bar" ? "bar" : "line");
      var band = hasValues(s.lower) && hasValues(s.upper);
      if (band) bands.push({ label: s.band_label || spec.band_label || s.name, lower: s.lower, upper: s.upper });
      if (!hasValues(s.data)) {
        if (band) series.push.apply(series, bandSeries(s, i, color));
        return;
      }
      var out = { id: "s-" + i, name: s.name, type: type, data: s.data, itemStyle: { color: color }, z: 3 };
      if (type === "line") {
        out.symbol = spec.x.length > 40 ? "none" : "circle";
        out.symbolSize = 5;
        out.connectNulls = false;
        out.lineStyle = { width: 2, color: color, type: s.dashed ? "dashed" : "solid" };
        if (s.area) out.areaStyle = { opacity: 0.12 };
      } else {
        out.barMaxWidth = 36;
      }
      if (s.stack) out.stack = s.stack;
      // The line goes first: the legend takes its icon from the first series of a name.
      series.push(out);
      if (band) series.push.apply(series, bandSeries(s, i, color));
    });

    var muted = I.cssVar("--muted", "#5b6573");
    var grid = I.cssVar("--border", "#dde3ea");
    var categoryAxis = {
      type: "category",
      data: spec.x,
      boundaryGap: kind === "bar",
      axisLine: { lineStyle: { color: grid } },
      axisTick: { alignWithLabel: true },
      axisLabel: { color: muted, hideOverlap: true },
    };
    var valueAxis = {
      type: "value",
      name: spec.y_name ? spec.y_name + (spec.unit ? " (" + spec.unit + ")" : "") : spec.unit || "",
      nameLocation: horizontal ? "middle" : "end",
      nameGap: horizontal ? 28 : 15,
      nameTextStyle: { color: muted, align: horizontal ? "center" : "left" },
      scale: kind === "line" && !spec.y_zero,
      splitLine: { lineStyle: { color: grid } },
      axisLabel: {
        color: muted,
        formatter: function (v) {
          return I.formatNumber(v);
        },
      },
    };
    if (horizontal) categoryAxis.inverse = true;

    if (spec.target != null && series.length) {
      var firstReal = series.filter(function (s) {
        return String(s.id).indexOf("s-") === 0;
      })[0];
      if (firstReal) {
        firstReal.markLine = {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: I.cssVar("--danger", "#b42318") },
          label: { formatter: spec.target_label || I.formatNumber(spec.target, spec.unit), position: "insideEndTop" },
          data: [horizontal ? { xAxis: spec.target } : { yAxis: spec.target }],
        };
      }
    }

    var visibleNames = (spec.series || []).filter(function (s) {
      return hasValues(s.data);
    });
    return {
      color: palette,
      title: spec.title ? { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 600 } } : undefined,
      legend:
        visibleNames.length > 1
          ? { top: spec.title ? 24 : 0, right: 0, data: visibleNames.map(function (s) { return s.name; }) }
          : undefined,
      grid: { left: 8, right: 16, bottom: horizontal ? 28 : 8, top: spec.title || visibleNames.length > 1 ? 56 : 32, containLabel: true },
      tooltip: { trigger: "axis", confine: true, axisPointer: { type: kind === "bar" ? "shadow" : "line" }, formatter: axisTooltip(spec, bands) },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series,
    };
  }

  function sparklineOptions(spec) {
    var color = I.palette()[0];
    var s = (spec.series || [])[0] || { data: [] };
    var data = s.data || [];
    var last = -1;
    for (var k = data.length - 1; k >= 0; k--) {
      if (data[k] != null) {
        last = k;
        break;
      }
    }
    return {
      animation: false,
      grid: { left: 2, right: 4, top: 4, bottom: 2 },
      tooltip: {
        trigger: "axis",
        confine: true,
        axisPointer: { type: "none" },
        formatter: function (params) {
          var p = params[0];
          return I.escapeHtml(spec.x[p.dataIndex]) + ": <b>" + I.escapeHtml(I.formatNumber(p.value, spec.unit)) + "</b>";
        },
      },
      xAxis: { type: "category", data: spec.x, show: false, boundaryGap: false },
      yAxis: { type: "value", show: false, scale: true },
      series: [
        {
          type: s.type === "bar" ? "bar" : "line",
          name: s.name,
          data: data,
          symbol: "none",
          lineStyle: { width: 1.5, color: color },
          itemStyle: { color: color },
          areaStyle: { color: color, opacity: 0.1 },
          markPoint:
            last >= 0
              ? { symbol: "circle", symbolSize: 5, label: { show: false }, data: [{ coord: [last, data[last]] }] }
              : undefined,
        },
      ],
    };
  }

  function initChart(el) {
    var kind = el.getAttribute("data-chart");
    var spec = I.readJSON(el.getAttribute("data-source"));
    spec.x = spec.x || [];
    var empty = !(spec.series || []).some(function (s) {
      return hasValues(s.data) || hasValues(s.upper);
    });
    if (spec.title) {
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", spec.title);
    }
    if (empty) {
      I.showMessage(el, spec.empty_text || el.getAttribute("data-empty-text") || I.config.emptyText, "is-empty");
      return null;
    }
    var options;
    if (kind === "sparkline") options = sparklineOptions(spec);
    else if (kind === "line" || kind === "bar") options = lineOrBarOptions(kind, spec);
    else throw new Error('unknown data-chart="' + kind + '"');
    var chart = I.createChart(el);
    chart.setOption(options);
    return chart;
  }

  I.charts = { init: initChart, lineOrBarOptions: lineOrBarOptions, sparklineOptions: sparklineOptions };
  I.register({ name: "chart", selector: ".chart[data-chart]", init: initChart });
})();
