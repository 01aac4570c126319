/*
 * District choropleth of Shanghai.
 *
 *   <div class="district-map" data-source="ID"
 *        data-geojson="{% static 'vendor/shanghai-districts.geojson' %}"></div>
 *   {{ map_data|json_script:"ID" }}
 *
 * JSON: {title, unit, values: [{code: "310115", name?, value, url?}],
 *        name_field?: "name_zh"|"name_en", min?, max?, pieces?, no_data_text?, roam?}
 * The geojson (built by frontend/build.mjs) has properties {code, name_zh, name_en}.
 * Regions are matched by `code`. A `geo` component holds the map so later
 * layers (parks, parcels) can be added as scatter/custom series on it:
 * window.Industria.map.addLayer(el, {...}).
 */
(function () {
  "use strict";

  var I = window.Industria;
  if (!I || !I.register) throw new Error("map.js: load industria.js first");

  var registered = {}; // geojson url -> Promise<{name, geojson}>
  var specs = new WeakMap(); // element -> {spec, geo}
  var ASPECT = Math.cos((31.2 * Math.PI) / 180); // equirectangular at Shanghai's latitude

  function mapNameFor(url) {
    return url.indexOf("shanghai-districts") >= 0 ? "shanghai" : "industria:" + url;
  }

  /** Fetch + echarts.registerMap once per URL. Resolves to {name, geojson}. */
  function loadGeoJSON(url) {
    if (!registered[url]) {
      registered[url] = fetch(url, { credentials: "same-origin" })
        .then(function (res) {
          if (!res.ok) throw new Error("GET " + url + " -> " + res.status);
          return res.json();
        })
        .then(function (geojson) {
          var name = mapNameFor(url);
          window.echarts.registerMap(name, geojson);
          return { name: name, geojson: geojson };
        });
      registered[url].catch(function () {
        delete registered[url]; // allow a retry on the next swap
      });
    }
    return registered[url];
  }

  function safeUrl(url) {
    try {
      var u = new URL(url, window.location.href);
      return u.origin === window.location.origin ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function buildOptions(spec, geo) {
    var field = spec.name_field || (I.lang() === "zh" ? "name_zh" : "name_en");
    var names = {};
    geo.geojson.features.forEach(function (f) {
      var p = f.properties || {};
      names[p.code] = p[field] || p.name_zh || p.code;
    });
    var values = spec.values || [];
    var data = values.map(function (v) {
      var code = String(v.code);
      return {
        name: code, // matched against the geojson "code" property
        value: v.value == null ? NaN : v.value,
        label_text: v.name || names[code] || code,
        url: v.url ? safeUrl(v.url) : null,
        cursor: v.url ? "pointer" : "default",
      };
    });
    var nums = data
      .map(function (d) { return d.value; })
      .filter(function (v) { return !isNaN(v); });
    var min = spec.min != null ? spec.min : nums.length ? Math.min.apply(null, nums) : 0;
    var max = spec.max != null ? spec.max : nums.length ? Math.max.apply(null, nums) : 1;
    if (min === max) max = min + 1;

    var border = I.cssVar("--surface", "#ffffff");
    var visualMap = spec.pieces
      ? { type: "piecewise", pieces: spec.pieces, left: 8, bottom: 8, seriesIndex: 0 }
      : {
          type: "continuous",
          min: min,
          max: max,
          calculable: true,
          left: 8,
          bottom: 8,
          itemHeight: 120,
          seriesIndex: 0,
          formatter: function (v) { return I.formatNumber(v, spec.unit); },
        };
    visualMap.inRange = { color: spec.colors || [I.cssVar("--map-low", "#e3eef9"), I.cssVar("--map-high", "#0b4a8b")] };
    visualMap.outOfRange = { color: I.cssVar("--map-none", "#e4e7eb") };

    return {
      option: {
        title: spec.title ? { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: 600 } } : undefined,
        tooltip: {
          trigger: "item",
          confine: true,
          formatter: function (p) {
            if (p.seriesType !== "map") return I.escapeHtml(p.name);
            var d = p.data || {};
            var label = d.label_text || names[p.name] || p.name;
            var value = isNaN(p.value) ? spec.no_data_text || "—" : I.formatNumber(p.value, spec.unit);
            return I.escapeHtml(label) + "<br><b>" + I.escapeHtml(value) + "</b>";
          },
        },
        visualMap: visualMap,
        geo: {
          map: geo.name,
          nameProperty: "code",
          roam: !!spec.roam,
          aspectScale: ASPECT,
          layoutCenter: ["50%", "52%"],
          layoutSize: "96%",
          itemStyle: { areaColor: I.cssVar("--map-none", "#e4e7eb"), borderColor: border, borderWidth: 1 },
          emphasis: {
            label: { show: true, formatter: function (p) { return names[p.name] || p.name; } },
            itemStyle: { areaColor: I.cssVar("--map-hover", "#f2b134") },
          },
          select: { disabled: true },
          label: { show: false },
        },
        series: [
          {
            id: "choropleth",
            type: "map",
            geoIndex: 0,
            name: spec.title || "",
            nameProperty: "code",
            data: data,
          },
        ],
      },
    };
  }

  function initMap(el) {
    var spec = I.readJSON(el.getAttribute("data-source"));
    var url = el.getAttribute("data-geojson");
    if (!url) throw new Error("district-map needs data-geojson");
    if (spec.title) {
      el.setAttribute("role", "img");
      el.setAttribute("aria-label", spec.title);
    }
    return loadGeoJSON(url).then(function (geo) {
      if (!el.isConnected) return null; // swapped away while fetching
      var built = buildOptions(spec, geo);
      var chart = I.createChart(el);
      chart.setOption(built.option);
      chart.on("click", function (p) {
        var target = p.data && p.data.url && safeUrl(p.data.url);
        if (target) window.location.assign(target);
      });
      specs.set(el, { spec: spec, geo: geo });
      return chart;
    });
  }

  /**
   * Add or replace an overlay series on the map's geo component.
   * layer: {id, type?: "scatter"|"effectScatter"|"custom"|"lines", name?,
   *         data: [{name, value: [lon, lat, ...], url?}], ...any ECharts series option}
   */
  function addLayer(el, layer) {
    var chart = I.getChart(el);
    if (!chart) throw new Error("Industria.map.addLayer: map not initialised yet");
    if (!layer || !layer.id) throw new Error("Industria.map.addLayer: layer.id required");
    var series = Object.assign(
      { type: "scatter", symbolSize: 6, itemStyle: { color: I.cssVar("--accent", "#d9822b") }, z: 5 },
      layer,
      { coordinateSystem: "geo", geoIndex: 0, id: "layer-" + layer.id }
    );
    chart.setOption({ series: [series] });
    return series.id;
  }

  function removeLayer(el, id) {
    var chart = I.getChart(el);
    if (!chart) return;
    var option = chart.getOption();
    var kept = option.series.filter(function (s) {
      return s.id !== "layer-" + id;
    });
    chart.setOption({ series: kept }, { replaceMerge: ["series"] });
  }

  /** Replace the choropleth values (same JSON "values" shape) without re-creating the map. */
  function setValues(el, values) {
    var chart = I.getChart(el);
    var entry = specs.get(el);
    if (!chart || !entry) return;
    var spec = Object.assign({}, entry.spec, { values: values });
    var built = buildOptions(spec, entry.geo);
    chart.setOption({ visualMap: built.option.visualMap, series: [built.option.series[0]] });
    entry.spec = spec;
  }

  I.map = {
    init: initMap,
    loadGeoJSON: loadGeoJSON,
    get: I.getChart,
    addLayer: addLayer,
    removeLayer: removeLayer,
    setValues: setValues,
  };
  I.register({ name: "district-map", selector: ".district-map[data-source]", init: initMap });
})();
