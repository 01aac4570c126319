/*
 * The industrial map (/map/ and /map/public/): Shanghai districts (offline GeoJSON) with switchable layers.
 *
 *   <div class="industrial-map" data-config="imap-config"></div>
 *   {{ config|json_script:"imap-config" }}
 *   <script defer src="{% static 'js/industrial-map.js' %}"></script>   (after map.js, which base.html loads)
 *
 * config (built by industria.maps.views.map_config, labels already in the page language):
 *   {public, lang, geojson, endpoints: {districts, areas, parks, parcels, projects?, enterprises?},
 *    summary_url ("/map/summary/KIND/PK/"), layers: [{id, label, on}], indicators: [{code, label, unit}],
 *    default_indicator, polygon_zoom, grades: ["A".."D"] | [], statuses, stages, labels: {...}}
 *
 * Layers are GeoJSON FeatureCollections from /api/maps/<layer>/?bbox=…&zoom=…&filters; they are drawn as
 * series on the geo component (custom series for polygons, scatter for points), re-fetched for the visible
 * bbox and zoom after a pan/zoom. A click on any feature loads its summary (an HTML fragment) with htmx into
 * #imap-summary. When the first render with every initial layer is finished, the element gets
 * data-rendered="1" (the browser test and the benchmark wait for it). CSP: no inline script or style
 * attributes; colours of legend swatches are set through CSSOM.
 */
(function () {
  "use strict";

  var I = window.Industria;
  if (!I || !I.register || !I.map) throw new Error("industrial-map.js: load industria.js and map.js first");

  var ASPECT = Math.cos((31.2 * Math.PI) / 180);
  var VIEWPORT_LAYERS = { parcels: true, enterprises: true, projects: true };
  var STATUS_COLOURS = { in_use: "#1f5fa8", idle: "#c0392b", under_construction: "#b8860b", available: "#2e8b57" };
  var GRADE_COLOURS = { A: "#2e8b57", B: "#16a2b8", C: "#d9822b", D: "#c0392b" };
  var NO_GRADE = "#9aa5b1";
  var STAGE_PALETTE = ["#7f8c8d", "#95a5a6", "#8e44ad", "#6c5ce7", "#2980b9", "#1f5fa8", "#16a2b8", "#d9822b",
    "#b8860b", "#2e8b57", "#1e6b3a", "#c0392b", "#555555"];
  var states = new WeakMap();

  function qs(sel) { return document.querySelector(sel); }

  function filters() {
    var out = {};
    ["district", "group", "status", "grade"].forEach(function (name) {
      var node = qs("#imap-" + name);
      if (node && node.value) out[name] = node.value;
    });
    var colour = qs('input[name="colour_by"]:checked');
    out.colour_by = colour ? colour.value : "status";
    return out;
  }

  function enabled(id) {
    var box = qs("#layer-" + id);
    return !!(box && box.checked);
  }

  /** The visible bbox and the web-map zoom (one pixel = 360 / (256·2^z) degrees). */
  function viewport(state) {
    var chart = state.chart;
    var w = chart.getWidth(), h = chart.getHeight();
    var a = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]);
    var b = chart.convertFromPixel({ geoIndex: 0 }, [w, h]);
    if (!a || !b) return null;
    var minLon = Math.max(-180, Math.min(a[0], b[0])), maxLon = Math.min(180, Math.max(a[0], b[0]));
    var minLat = Math.max(-90, Math.min(a[1], b[1])), maxLat = Math.min(90, Math.max(a[1], b[1]));
    var zoom = Math.round(Math.log(360 * w / (256 * Math.max(maxLon - minLon, 1e-6))) / Math.LN2);
    zoom = Math.max(0, Math.min(20, zoom));
    return {
      bbox: [minLon, minLat, maxLon, maxLat].map(function (v) { return v.toFixed(5); }).join(","),
      zoom: zoom,
    };
  }

  function layerUrl(state, id) {
    var base = state.cfg.endpoints[id];
    var params = new URLSearchParams(filters());
    if (id === "districts") {
      params = new URLSearchParams();
      params.set("indicator", (qs("#imap-indicator") || {}).value || state.cfg.default_indicator);
    } else if (VIEWPORT_LAYERS[id]) {
      var vp = viewport(state);
      if (vp) {
        params.set("bbox", vp.bbox);
        params.set("zoom", String(vp.zoom));
      }
    }
    return base + "?" + params.toString();
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } })
      .then(function (res) {
        if (!res.ok) throw new Error("GET " + url + " -> " + res.status);
        return res.json();
      });
  }

  // ------------------------------------------------------------------------------------------- colours
  function parcelColour(state, p) {
    if (filters().colour_by === "grade" && state.cfg.grades.length) return GRADE_COLOURS[p.grade] || NO_GRADE;
    return STATUS_COLOURS[p.status] || NO_GRADE;
  }

  function stageColour(state, stage) {
    var idx = state.cfg.stages.findIndex(function (s) { return s.code === stage; });
    return STAGE_PALETTE[idx >= 0 ? idx % STAGE_PALETTE.length : 0];
  }

  // ------------------------------------------------------------------------------------------- series
  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates[0]];
    if (geometry.type === "MultiPolygon") return geometry.coordinates.map(function (poly) { return poly[0]; });
    return [];
  }

  function firstPoint(geometry) {
    if (geometry.type === "Point") return geometry.coordinates;
    var r = rings(geometry)[0];
    return r ? r[0] : [0, 0];
  }

  /** Polygons (and points) of a FeatureCollection as one custom series. */
  function polygonSeries(state, id, fc, style) {
    var features = fc.features;
    return {
      id: "imap-" + id,
      name: id,
      type: "custom",
      coordinateSystem: "geo",
      geoIndex: 0,
      z: style.z,
      data: features.map(function (f, i) { return { value: firstPoint(f.geometry).concat([i]), name: f.properties.name || f.properties.code || "" }; }),
      renderItem: function (params, api) {
        var f = features[params.dataIndex];
        var fill = style.fill(f.properties);
        if (f.geometry.type === "Point") {
          var c = api.coord(f.geometry.coordinates);
          return { type: "circle", shape: { cx: c[0], cy: c[1], r: style.radius || 3 }, style: { fill: fill, stroke: style.stroke, lineWidth: 0.5 } };
        }
        var children = rings(f.geometry).map(function (ring) {
          return {
            type: "polygon",
            shape: { points: ring.map(function (pt) { return api.coord(pt); }) },
            style: { fill: fill, stroke: style.stroke, lineWidth: style.lineWidth || 0.6, lineDash: style.lineDash || null, opacity: style.opacity || 1 },
          };
        });
        if (style.label && f.properties.label) {
          var at = api.coord(f.properties.label);
          children.push({
            type: "text", silent: true, x: at[0], y: at[1],
            style: { text: style.label(f.properties), fill: style.labelColour || "#1d2733", font: "12px sans-serif", align: "center", verticalAlign: "middle" },
          });
        }
        return { type: "group", children: children };
      },
    };
  }

  function pointSeries(state, id, fc, style) {
    return {
      id: "imap-" + id,
      name: id,
      type: "scatter",
      coordinateSystem: "geo",
      geoIndex: 0,
      z: style.z,
      large: fc.features.length > 2000,
      data: fc.features.map(function (f, i) {
        return {
          name: f.properties.name || f.properties.code || "",
          value: f.geometry.coordinates.concat([i]),
          symbolSize: style.size ? style.size(f.properties) : 6,
          itemStyle: { color: style.colour(f.properties), borderColor: "#ffffff", borderWidth: 0.5 },
          label: style.label ? { show: true, formatter: style.label(f.properties), fontSize: 10, color: "#ffffff" } : undefined,
        };
      }),
    };
  }

  function seriesFor(state, id, fc) {
    var labels = state.cfg.labels;
    if (id === "areas") {
      return polygonSeries(state, id, fc, {
        z: 2, fill: function () { return "rgba(142, 68, 173, 0.08)"; }, stroke: "#8e44ad", lineDash: [6, 4], lineWidth: 1.2,
        label: function (p) { return p.label_text; }, labelColour: "#5b2c6f",
      });
    }
    if (id === "parks") {
      return polygonSeries(state, id, fc, {
        z: 3, fill: function () { return "rgba(46, 139, 87, 0.35)"; }, stroke: "#1e6b3a", radius: 5,
        label: state.zoom >= 11 ? function (p) { return p.name; } : null,
      });
    }
    if (id === "parcels") {
      if (fc.geometry === "polygon") {
        return polygonSeries(state, id, fc, { z: 4, fill: function (p) { return parcelColour(state, p); }, stroke: "#ffffff", lineWidth: 0.4 });
      }
      return pointSeries(state, id, fc, { z: 4, colour: function (p) { return parcelColour(state, p); }, size: function () { return 4; } });
    }
    if (id === "projects") {
      return pointSeries(state, id, fc, {
        z: 6, colour: function (p) { return stageColour(state, p.stage); }, size: function () { return 9; },
      });
    }
    if (id === "enterprises") {
      return pointSeries(state, id, fc, {
        z: 7, colour: function (p) { return p.kind === "cluster" ? "rgba(217, 130, 43, 0.85)" : "#d9822b"; },
        size: function (p) { return p.count > 1 ? Math.min(40, 12 + 4 * Math.log(p.count)) : 8; },
        label: function (p) { return p.count > 1 ? String(p.count) : ""; },
      });
    }
    void labels;
    return null;
  }

  // ------------------------------------------------------------------------------------------- choropleth
  function choropleth(state, data) {
    var values = data ? data.values : [];
    var nums = values.map(function (v) { return v.value; }).filter(function (v) { return v != null; });
    var min = nums.length ? Math.min.apply(null, nums) : 0, max = nums.length ? Math.max.apply(null, nums) : 1;
    if (min === max) max = min + 1;
    return {
      visualMap: [{
        show: !!data, type: "continuous", min: min, max: max, left: 8, bottom: 8, itemHeight: 110, seriesIndex: 0, calculable: false,
        text: data ? [data.title + (data.unit ? " (" + data.unit + ")" : ""), ""] : ["", ""],
        inRange: { color: [I.cssVar("--map-low", "#e3eef9"), I.cssVar("--map-high", "#0b4a8b")] },
        outOfRange: { color: I.cssVar("--map-none", "#e4e7eb") },
        formatter: function (v) { return I.formatNumber(v, data && data.unit); },
      }],
      series: [{
        id: "imap-districts", type: "map", geoIndex: 0, nameProperty: "code", z: 1,
        data: values.map(function (v) { return { name: v.code, value: v.value == null ? NaN : v.value }; }),
      }],
    };
  }

  // ------------------------------------------------------------------------------------------- legend
  function swatch(colour, text) {
    var row = document.createElement("div");
    row.className = "imap-legend-row";
    var sw = document.createElement("span");
    sw.className = "imap-swatch";
    sw.style.backgroundColor = colour; // CSSOM, allowed by the CSP (no style attribute in markup)
    row.appendChild(sw);
    row.appendChild(document.createTextNode(text));
    return row;
  }

  function renderLegend(state) {
    var box = qs("#imap-legend");
    if (!box) return;
    box.textContent = "";
    var cfg = state.cfg, labels = cfg.labels;
    function heading(text) {
      var h = document.createElement("h3");
      h.textContent = text;
      box.appendChild(h);
    }
    if (state.data.areas && enabled("areas")) { heading(labels.areas); box.appendChild(swatch("#8e44ad", labels.areas)); }
    if (state.data.parks && enabled("parks")) { heading(labels.parks); box.appendChild(swatch("#2e8b57", labels.parks)); }
    if (state.data.parcels && enabled("parcels")) {
      if (filters().colour_by === "grade" && cfg.grades.length) {
        heading(labels.grade);
        cfg.grades.forEach(function (g) { box.appendChild(swatch(GRADE_COLOURS[g], g)); });
        box.appendChild(swatch(NO_GRADE, labels.no_data));
      } else {
        heading(labels.status);
        cfg.statuses.forEach(function (s) { box.appendChild(swatch(STATUS_COLOURS[s.code] || NO_GRADE, s.label)); });
      }
    }
    if (state.data.projects && enabled("projects")) {
      heading(labels.stage);
      cfg.stages.forEach(function (s) { box.appendChild(swatch(stageColour(state, s.code), s.label)); });
    }
    var notes = [];
    Object.keys(state.data).forEach(function (id) {
      var fc = state.data[id];
      if (fc && fc.truncated && enabled(id)) notes.push(labels.truncated.replace("%(n)s", I.formatNumber(fc.limit)));
    });
    if (state.data.parcels && state.data.parcels.geometry === "point" && enabled("parcels")) notes.push(labels.points_note);
    var note = qs("#imap-note");
    if (note) note.textContent = notes.join(" ");
  }

  // ------------------------------------------------------------------------------------------- loading
  function loadLayer(state, id) {
    if (!enabled(id) || !state.cfg.endpoints[id]) {
      delete state.data[id];
      return Promise.resolve(null);
    }
    var token = (state.tokens[id] = (state.tokens[id] || 0) + 1);
    return getJSON(layerUrl(state, id)).then(function (data) {
      if (token !== state.tokens[id]) return null; // a newer request superseded this one
      state.data[id] = data;
      return data;
    });
  }

  function draw(state) {
    var series = [], vm = choropleth(state, enabled("districts") ? state.data.districts : null);
    series.push(vm.series[0]);
    ["areas", "parks", "parcels", "projects", "enterprises"].forEach(function (id) {
      if (state.data[id] && enabled(id)) {
        var s = seriesFor(state, id, state.data[id]);
        if (s) series.push(s);
      }
    });
    state.chart.setOption({ visualMap: vm.visualMap, series: series }, { replaceMerge: ["series"] });
    state.el.setAttribute("data-layers", series.map(function (s) { return s.name || s.id; }).join(","));
    renderLegend(state);
  }

  function reload(state, ids) {
    state.el.setAttribute("data-loading", "1");
    return Promise.all(ids.map(function (id) { return loadLayer(state, id); }))
      .then(function () { draw(state); })
      .catch(function (err) {
        console.error("industrial-map:", err);
        var note = qs("#imap-note");
        if (note) note.textContent = state.cfg.labels.error;
      })
      .then(function () { state.el.removeAttribute("data-loading"); });
  }

  // ------------------------------------------------------------------------------------------- summary
  function showSummary(state, kind, pk) {
    var url = state.cfg.summary_url.replace("KIND", encodeURIComponent(kind)).replace("PK", encodeURIComponent(pk));
    var target = qs("#imap-summary");
    if (!target) return;
    target.setAttribute("data-summary", kind + ":" + pk);
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: "#imap-summary", swap: "innerHTML" });
    } else {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) { target.innerHTML = html; });
    }
  }

  function onClick(state, p) {
    if (p.seriesId === "imap-districts" || p.componentType === "geo") {
      var code = p.name;
      if (code) showSummary(state, "district", code);
      return;
    }
    var id = String(p.seriesId || "").replace("imap-", "");
    var fc = state.data[id];
    if (!fc) return;
    var idx = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.dataIndex;
    var f = fc.features[idx];
    if (!f) return;
    var props = f.properties;
    if (props.kind === "cluster") {
      var c = f.geometry.coordinates;
      var opt = state.chart.getOption().geo[0];
      state.chart.setOption({ geo: { center: c, zoom: (opt.zoom || 1) * 2 } });
      scheduleViewportReload(state);
      return;
    }
    showSummary(state, props.kind, String(props.pk));
  }

  function scheduleViewportReload(state) {
    clearTimeout(state.timer);
    state.timer = setTimeout(function () {
      var vp = viewport(state);
      state.zoom = vp ? vp.zoom : state.zoom;
      reload(state, Object.keys(VIEWPORT_LAYERS).concat(["parks"]));
    }, 250);
  }

  function tooltip(state, p) {
    if (p.seriesId === "imap-districts") {
      var d = state.names[p.name] || p.name;
      var data = state.data.districts;
      var value = isNaN(p.value) ? state.cfg.labels.no_data : I.formatNumber(p.value, data && data.unit);
      return I.escapeHtml(d) + "<br><b>" + I.escapeHtml(value) + "</b>";
    }
    var id = String(p.seriesId || "").replace("imap-", "");
    var fc = state.data[id];
    var idx = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.dataIndex;
    var f = fc && fc.features[idx];
    if (!f) return "";
    var pr = f.properties;
    if (pr.kind === "cluster") return I.escapeHtml(state.cfg.labels.cluster.replace("%(n)s", I.formatNumber(pr.count)));
    var lines = [pr.name || pr.code || ""];
    // point layers leave the label out (10,000 points): it comes from the legend's list of statuses
    var statusLabel = pr.status_label;
    if (!statusLabel && pr.kind === "parcel" && pr.status) {
      var known = (state.cfg.statuses || []).filter(function (s) { return s.code === pr.status; })[0];
      statusLabel = known ? known.label : pr.status;
    }
    if (statusLabel) lines.push(statusLabel + (pr.area_mu != null ? " · " + I.formatNumber(pr.area_mu) + (state.cfg.lang === "zh" ? " 亩" : " mu") : ""));
    if (pr.grade) lines.push(state.cfg.labels.grade + " " + pr.grade);
    if (pr.stage_label) lines.push(pr.stage_label);
    if (pr.park_kind) lines.push(pr.park_kind);
    if (pr.area_kind) lines.push(pr.area_kind);
    return lines.map(I.escapeHtml).join("<br>");
  }

  // ------------------------------------------------------------------------------------------- init
  var pending = new WeakMap(); // element -> Promise of the first initialisation still running

  function init(el) {
    // DOMContentLoaded and htmx:load may both ask before the first promise resolves: draw once.
    if (pending.has(el)) return null;
    var promise = initOnce(el);
    pending.set(el, promise);
    var clear = function () { pending.delete(el); };
    promise.then(clear, clear);
    return promise;
  }

  function initOnce(el) {
    var cfg = I.readJSON(el.getAttribute("data-config"));
    return I.map.loadGeoJSON(cfg.geojson).then(function (geo) {
      if (!el.isConnected) return null;
      var chart = I.createChart(el);
      var names = {};
      var field = cfg.lang === "zh" ? "name_zh" : "name_en";
      geo.geojson.features.forEach(function (f) { names[f.properties.code] = f.properties[field] || f.properties.name_zh; });
      var state = { el: el, cfg: cfg, chart: chart, data: {}, tokens: {}, names: names, zoom: 9, timer: null };
      states.set(el, state);
      chart.setOption({
        tooltip: { trigger: "item", confine: true, formatter: function (p) { return tooltip(state, p); } },
        geo: {
          map: geo.name, nameProperty: "code", roam: true, aspectScale: ASPECT, layoutCenter: ["50%", "50%"], layoutSize: "96%",
          scaleLimit: { min: 0.8, max: 400 },
          itemStyle: { areaColor: I.cssVar("--map-none", "#e4e7eb"), borderColor: "#ffffff", borderWidth: 1 },
          emphasis: { label: { show: true, formatter: function (p) { return names[p.name] || p.name; } }, itemStyle: { areaColor: I.cssVar("--map-hover", "#f2b134") } },
          select: { disabled: true },
          label: { show: false },
        },
        series: [],
      });
      el.setAttribute("data-districts", String(geo.geojson.features.length));
      var vp = viewport(state);
      state.zoom = vp ? vp.zoom : 9;
      chart.on("click", function (p) { onClick(state, p); });
      chart.on("georoam", function () { scheduleViewportReload(state); });
      wirePanel(state);
      var ids = ["districts"].concat(cfg.layers.map(function (l) { return l.id; }).filter(function (id) { return id !== "districts"; }));
      return reload(state, ids).then(function () {
        var done = function () {
          chart.off("finished", done);
          el.setAttribute("data-rendered", "1");
        };
        chart.on("finished", done);
        chart.resize(); // forces a render pass so 'finished' fires even when nothing changed since setOption
        return chart;
      });
    });
  }

  function wirePanel(state) {
    var panel = qs("#imap-panel");
    if (!panel || panel.getAttribute("data-wired")) return;
    panel.setAttribute("data-wired", "1");
    panel.addEventListener("change", function (evt) {
      var t = evt.target;
      state = states.get(state.el) || state; // the current drawing if the map was initialised again
      if (t.name === "layer") {
        if (t.checked) reload(state, [t.value]);
        else { delete state.data[t.value]; draw(state); }
      } else if (t.name === "indicator") {
        reload(state, ["districts"]);
      } else if (t.name === "colour_by") {
        draw(state);
      } else {
        reload(state, ["parks", "parcels", "projects", "enterprises"]);
      }
    });
  }

  I.industrialMap = { get: function (el) { return states.get(el) || null; } };
  I.register({ name: "industrial-map", selector: ".industrial-map[data-config]", init: init });
})();
