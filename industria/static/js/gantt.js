/*
 * Gantt charts of key projects: planned, baseline and actual dates per node (ECharts custom series).
 *
 *   <div class="gantt" data-gantt data-source="ID"></div>
 *   {{ gantt|json_script:"ID" }}
 *
 * JSON (labels localised by the server; dates "YYYY-MM-DD", spans inclusive):
 *   {title, today, empty_text,
 *    labels: {planned, baseline, actual, today, critical, variance, days},
 *    rows: [{code, name, planned: [start, finish] | null, baseline: [start, finish] | null,
 *            actual: [start, finish] | null, critical: bool, colour: "green|yellow|red|grey", done: bool,
 *            variance_days: int | null}]}
 *
 * Per node (one row, first node on top): a thin grey bar for the baseline, the planned bar (blue; critical
 * nodes outlined), and the actual bar coloured by the node's warning (green/amber/red).  A one-day span is
 * drawn at least 3 px wide (6 px for actual dates).  A dashed line marks today.  After drawing, the element carries
 * data-rendered="1", data-rows and data-actual-count (number of nodes with actual dates) for tests and
 * assistive tools.
 *
 * Load after industria.js (it registers as a widget, so htmx swaps init and dispose it).  Loading the file
 * twice is harmless.  It also closes projects' workflow dialogs: a click on [data-dialog-close] empties the
 * closest .workflow-host.  CSP: no inline code, no eval; colours come from CSS custom properties.
 */
(function () {
  "use strict";

  var I = window.Industria;
  if (!I || !I.register) throw new Error("gantt.js: load industria.js first");
  if (I.gantt) return;
  I.gantt = { version: 1 };

  var DAY = 86400000;
  var LANES = { baseline: [0.08, 0.18], planned: [0.3, 0.62], actual: [0.66, 0.92] };

  function day(text) {
    var p = String(text).split("-");
    return Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2]));
  }

  function fmt(ms) {
    var d = new Date(ms);
    var m = d.getUTCMonth() + 1;
    var dd = d.getUTCDate();
    return d.getUTCFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (dd < 10 ? "0" : "") + dd;
  }

  function colourOf(name) {
    return {
      green: I.cssVar("--success", "#1e7b4f"),
      yellow: I.cssVar("--warning", "#a86100"),
      red: I.cssVar("--danger", "#b42318"),
      grey: I.cssVar("--grey", "#6b7280"),
    }[name] || I.cssVar("--grey", "#6b7280");
  }

  function spanData(rows, key) {
    return rows.map(function (r, i) {
      var span = r[key];
      if (!span) return { value: [i, null, null] };
      return { value: [i, day(span[0]), day(span[1]) + DAY], row: r };
    });
  }

  function renderer(lane, fill, strokeFor) {
    return function (params, api) {
      var start = api.value(1);
      var end = api.value(2);
      if (start == null || end == null || isNaN(start)) return null;
      var index = api.value(0);
      var a = api.coord([start, index]);
      var b = api.coord([end, index]);
      var band = api.size([0, 1])[1];
      var top = a[1] - band / 2 + band * LANES[lane][0];
      var height = band * (LANES[lane][1] - LANES[lane][0]);
      var width = Math.max(b[0] - a[0], lane === "actual" ? 6 : 3);
      var shape = window.echarts.graphic.clipRectByRect(
        { x: a[0], y: top, width: width, height: height },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
      );
      if (!shape) return null;
      var row = params.data && params.data.row;
      var stroke = strokeFor ? strokeFor(row) : null;
      return {
        type: "rect",
        shape: shape,
        style: { fill: typeof fill === "function" ? fill(row) : fill, stroke: stroke, lineWidth: stroke ? 1.5 : 0 },
      };
    };
  }

  function tooltip(spec) {
    var L = spec.labels || {};
    return function (p) {
      var r = p.data && p.data.row;
      if (!r) return "";
      var lines = ["<b>" + I.escapeHtml(r.name) + "</b>" + (r.critical ? " · " + I.escapeHtml(L.critical || "") : "")];
      [["planned", L.planned], ["baseline", L.baseline], ["actual", L.actual]].forEach(function (k) {
        if (r[k[0]]) lines.push(I.escapeHtml(k[1] || k[0]) + ": " + I.escapeHtml(r[k[0]][0]) + " – " + I.escapeHtml(r[k[0]][1]));
      });
      if (r.variance_days != null) {
        var v = r.variance_days > 0 ? "+" + r.variance_days : String(r.variance_days);
        lines.push(I.escapeHtml(L.variance || "") + ": " + I.escapeHtml(v) + " " + I.escapeHtml(L.days || ""));
      }
      return lines.join("<br>");
    };
  }

  function init(el) {
    var spec = I.readJSON(el.getAttribute("data-source"));
    var rows = spec.rows || [];
    el.setAttribute("data-rows", String(rows.length));
    el.setAttribute("data-actual-count", String(rows.filter(function (r) { return !!r.actual; }).length));
    if (!rows.length) {
      I.showMessage(el, spec.empty_text || el.getAttribute("data-empty-text") || I.config.emptyText);
      el.setAttribute("data-rendered", "1");
      return null;
    }
    var L = spec.labels || {};
    var chart = I.createChart(el);
    var blue = I.palette()[0];
    var dark = I.cssVar("--primary-dark", "#163a69");
    var today = spec.today ? day(spec.today) : null;
    var option = {
      animation: false,
      aria: { enabled: true, label: { description: spec.title || "" } },
      grid: { left: 8, right: 24, top: 36, bottom: 40, containLabel: true },
      legend: { top: 0, data: [L.planned, L.baseline, L.actual] },
      tooltip: { trigger: "item", formatter: tooltip(spec), confine: true },
      dataZoom: [{ type: "inside", xAxisIndex: 0 }, { type: "slider", xAxisIndex: 0, height: 16, bottom: 8 }],
      xAxis: { type: "time", axisLabel: { hideOverlap: true } },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map(function (r) { return r.name; }),
        axisLabel: { width: 150, overflow: "truncate", interval: 0, fontSize: 11 },
        axisTick: { show: false },
      },
      series: [
        {
          id: "baseline", name: L.baseline, type: "custom", encode: { x: [1, 2], y: 0 },
          renderItem: renderer("baseline", I.cssVar("--grey", "#6b7280")), data: spanData(rows, "baseline"),
          itemStyle: { color: I.cssVar("--grey", "#6b7280") },
        },
        {
          id: "planned", name: L.planned, type: "custom", encode: { x: [1, 2], y: 0 },
          renderItem: renderer("planned", blue, function (r) { return r && r.critical ? dark : null; }),
          data: spanData(rows, "planned"), itemStyle: { color: blue },
          markLine: today == null ? undefined : {
            symbol: "none", silent: true, label: { formatter: L.today || "", position: "end" },
            lineStyle: { type: "dashed", color: I.cssVar("--accent", "#d9822b") },
            data: [{ xAxis: today }],
          },
        },
        {
          id: "actual", name: L.actual, type: "custom", encode: { x: [1, 2], y: 0 },
          renderItem: renderer("actual", function (r) { return colourOf(r ? r.colour : "grey"); }),
          data: spanData(rows, "actual"), itemStyle: { color: I.cssVar("--success", "#1e7b4f") },
        },
      ],
    };
    chart.setOption(option);
    el.setAttribute("data-rendered", "1");
    return chart;
  }

  I.register({ name: "gantt", selector: ".gantt[data-gantt]", init: init });
  I.gantt.format = fmt;

  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-dialog-close]") : null;
    if (!button) return;
    var host = button.closest(".workflow-host");
    if (host) host.textContent = "";
  });
})();
