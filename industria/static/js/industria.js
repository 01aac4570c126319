/*
 * Industria core: htmx configuration, CSRF header, and the lifecycle of
 * declarative widgets (charts, maps) across page load and htmx swaps.
 *
 * CSP: this file, charts.js and map.js are external scripts only (no inline
 * script, no eval). Load order, all with `defer`:
 *   vendor/htmx.min.js, vendor/echarts.min.js, js/industria.js, js/charts.js, js/map.js
 * Templates should also carry
 *   <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>
 * Do NOT set allowScriptTags=false: htmx then strips every <script> from
 * swapped content, including the json_script data blocks the charts read.
 *   <meta name="csrf-token" content="{{ csrf_token }}">
 * See docs/frontend.md for the data-* contracts.
 */
(function () {
  "use strict";

  var I = (window.Industria = window.Industria || {});
  var modules = [];
  var state = new WeakMap(); // element -> {module, chart, observer}
  var started = false;

  I.config = Object.assign(
    {
      csrfHeader: "X-CSRFToken",
      errorText: "图表无法显示 / Chart unavailable",
      emptyText: "暂无数据 / No data",
    },
    I.config || {}
  );

  // ------------------------------------------------------------------ htmx
  if (window.htmx) {
    // Same values as the <meta name="htmx-config"> (htmx merges the meta tag
    // on DOM ready, after this deferred script runs). includeIndicatorStyles
    // would inject an inline <style>; the indicator rules live in industria.css.
    window.htmx.config.includeIndicatorStyles = false;
    window.htmx.config.allowEval = false; // hx-on / js: expressions need eval; CSP forbids it
    window.htmx.config.selfRequestsOnly = true;
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : null;
  }

  document.addEventListener("htmx:configRequest", function (evt) {
    var verb = (evt.detail.verb || "get").toLowerCase();
    if (verb === "get" || verb === "head") return;
    var token = csrfToken();
    if (token) evt.detail.headers[I.config.csrfHeader] = token;
  });

  // -------------------------------------------------------------- helpers
  I.lang = function () {
    var lang = (document.documentElement.lang || navigator.language || "zh").toLowerCase();
    return lang.indexOf("zh") === 0 ? "zh" : "en";
  };

  /** Parse the JSON of a Django json_script element by id. Throws if missing. */
  I.readJSON = function (id) {
    var node = id && document.getElementById(id);
    if (!node) throw new Error("Industria: no <script type=application/json id=" + id + ">");
    return JSON.parse(node.textContent);
  };

  I.escapeHtml = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };

  var numberFormats = {};
  /** Localised number with optional unit; null/NaN -> "—". */
  I.formatNumber = function (value, unit, digits) {
    if (value == null || value === "" || isNaN(value)) return "—";
    var key = I.lang() + (digits == null ? "" : ":" + digits);
    if (!numberFormats[key]) {
      var opts = digits == null ? { maximumFractionDigits: 2 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
      numberFormats[key] = new Intl.NumberFormat(I.lang() === "zh" ? "zh-CN" : "en-GB", opts);
    }
    var text = numberFormats[key].format(Number(value));
    return unit ? text + " " + unit : text;
  };

  /** Chart palette from CSS custom properties --chart-1..--chart-8 (industria.css). */
  I.palette = function () {
    var css = getComputedStyle(document.documentElement);
    var out = [];
    for (var i = 1; i <= 8; i++) {
      var c = css.getPropertyValue("--chart-" + i).trim();
      if (c) out.push(c);
    }
    return out.length ? out : ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a2b8", "#7f8c8d", "#b8860b"];
  };

  I.cssVar = function (name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  };

  /** Create an ECharts instance on `el`, clearing stale markup (e.g. restored from htmx history). */
  I.createChart = function (el) {
    if (!window.echarts) throw new Error("Industria: echarts.min.js not loaded");
    var old = window.echarts.getInstanceByDom(el);
    if (old) old.dispose();
    el.removeAttribute("_echarts_instance_");
    el.textContent = "";
    return window.echarts.init(el, null, { renderer: "canvas", locale: I.lang() === "zh" ? "ZH" : "EN" });
  };

  /** Replace the element's content by a short message (error or empty state). */
  I.showMessage = function (el, text, cls) {
    el.textContent = "";
    var p = document.createElement("p");
    p.className = "chart-message " + (cls || "");
    p.textContent = text;
    el.appendChild(p);
  };

  // ------------------------------------------------------------ lifecycle
  /**
   * Register a widget type: {name, selector, init(el) -> chart | Promise<chart> | null}.
   * The returned ECharts instance is resized with its element and disposed
   * when htmx removes the element.
   */
  I.register = function (module) {
    modules.push(module);
    if (started) initModule(module, document);
  };

  function track(el, module, chart) {
    if (!chart) return;
    if (!el.isConnected) {
      chart.dispose();
      return;
    }
    var entry = { module: module, chart: chart, observer: null };
    if (window.ResizeObserver) {
      entry.observer = new ResizeObserver(function () {
        if (!chart.isDisposed()) chart.resize();
      });
      entry.observer.observe(el);
    }
    state.set(el, entry);
  }

  function initElement(module, el) {
    var entry = state.get(el);
    if (entry && !entry.chart.isDisposed()) return;
    state.delete(el);
    var result;
    try {
      result = module.init(el);
    } catch (err) {
      console.error("Industria " + module.name + ":", err, el);
      I.showMessage(el, el.getAttribute("data-error-text") || I.config.errorText, "is-error");
      return;
    }
    if (result && typeof result.then === "function") {
      result.then(
        function (chart) {
          track(el, module, chart);
        },
        function (err) {
          console.error("Industria " + module.name + ":", err, el);
          I.showMessage(el, el.getAttribute("data-error-text") || I.config.errorText, "is-error");
        }
      );
    } else {
      track(el, module, result);
    }
  }

  function initModule(module, root) {
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.matches && root.matches(module.selector)) initElement(module, root);
    root.querySelectorAll(module.selector).forEach(function (el) {
      initElement(module, el);
    });
  }

  /** Initialise all registered widgets inside `root` (default: document). Idempotent. */
  I.init = function (root) {
    root = root || document;
    modules.forEach(function (m) {
      initModule(m, root);
    });
  };

  /** Dispose the widget on `el` (if any). */
  I.disposeElement = function (el) {
    var entry = state.get(el);
    if (!entry) return;
    if (entry.observer) entry.observer.disconnect();
    if (!entry.chart.isDisposed()) entry.chart.dispose();
    state.delete(el);
  };

  /** Dispose every widget inside `root` (inclusive). */
  I.dispose = function (root) {
    if (!root || root.nodeType !== 1) return;
    I.disposeElement(root);
    modules.forEach(function (m) {
      root.querySelectorAll(m.selector).forEach(I.disposeElement);
    });
  };

  /** The ECharts instance of a widget element, or null. */
  I.getChart = function (el) {
    var entry = state.get(el);
    return entry && !entry.chart.isDisposed() ? entry.chart : null;
  };

  function start() {
    if (started) return;
    started = true;
    I.init(document);
  }

  // htmx:load fires for the body on start and for every element htmx adds
  // (swaps, out-of-band swaps, history restore).
  document.addEventListener("htmx:load", function (evt) {
    if (started) I.init(evt.target);
  });
  // htmx fires this for every element (recursively) it removes.
  document.addEventListener("htmx:beforeCleanupElement", function (evt) {
    I.disposeElement(evt.target);
  });
  // Fallback resize for browsers without ResizeObserver.
  if (!window.ResizeObserver) {
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
          var c = window.echarts && window.echarts.getInstanceByDom(el);
          if (c) c.resize();
        });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    // Scripts loaded without defer after parsing: let charts.js / map.js register first.
    setTimeout(start, 0);
  }
})();
