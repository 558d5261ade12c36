/* Browser-side callbacks of the Beleidsmonitor shell (see dashboard/callbacks.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  beleidsmonitor: {
    /* Filters <-> URL query string: the URL is the single source of truth. */
    syncFilters: function (search, quarter, departments, statuses, resetClicks, quarterOptions) {
      const nu = window.dash_clientside.no_update;
      const latest = quarterOptions && quarterOptions.length ? quarterOptions[0].value : null;
      const trig = (window.dash_clientside.callback_context.triggered || []).map(t => t.prop_id);
      const params = new URLSearchParams(search || "");
      if (trig.some(p => p.startsWith("filter-reset"))) {
        ["kwartaal", "departement", "status"].forEach(k => params.delete(k));
        const rest = params.toString();
        return [rest ? "?" + rest : "", latest, [], []];
      }
      const fromControl = trig.some(p => p.startsWith("filter-quarter") || p.startsWith("filter-department") ||
                                         p.startsWith("filter-status"));
      if (!fromControl) {
        // A link naming an unknown quarter shows the latest (the page says so); never a blank filter.
        const known = (quarterOptions || []).map(o => o.value);
        const linked = params.get("kwartaal");
        return [nu, known.includes(linked) ? linked : latest, params.getAll("departement"), params.getAll("status")];
      }
      const next = new URLSearchParams();
      if (quarter && (quarter !== latest || params.has("kwartaal"))) next.append("kwartaal", quarter);
      (departments || []).forEach(d => next.append("departement", d));
      (statuses || []).forEach(s => next.append("status", s));
      params.forEach((v, k) => { if (!["kwartaal", "departement", "status"].includes(k)) next.append(k, v); });
      const qs = next.toString();
      const wanted = qs ? "?" + qs : "";
      return [wanted === (search || "") ? nu : wanted, nu, nu, nu];
    },

    /* Top navigation keeps the filters and marks the current section. */
    navLinks: function (search, pathname, linkIds) {
      const keep = new URLSearchParams();
      new URLSearchParams(search || "").forEach((v, k) => {
        if (["kwartaal", "departement", "status", "presentatie"].includes(k)) keep.append(k, v);
      });
      const qs = keep.toString() ? "?" + keep.toString() : "";
      const hrefs = linkIds.map(id => id.index + qs);
      const active = linkIds.map(id => id.index === "/" ? pathname === "/" :
        (pathname || "").startsWith(id.index));
      return [hrefs, active];
    },

    /* A click on a bar or slice opens the URL in its customdata (within the app, no reload). */
    drill: function (clicks) {
      const nu = window.dash_clientside.no_update;
      const trig = window.dash_clientside.callback_context.triggered || [];
      if (!trig.length || !trig[0].value || !trig[0].value.points || !trig[0].value.points.length) return nu;
      let target = trig[0].value.points[0].customdata;
      if (Array.isArray(target)) target = target[0];
      if (typeof target !== "string" || !target.startsWith("/")) return nu;
      return target;
    },

    /* PNG (2x) or SVG of a chart, named after what it shows. */
    downloadImage: function () {
      const nu = window.dash_clientside.no_update;
      const trig = window.dash_clientside.callback_context.triggered || [];
      if (!trig.length || !trig[0].value) return nu;
      const propId = trig[0].prop_id.replace(/\.n_clicks$/, "");
      const button = document.getElementById(propId);
      const id = JSON.parse(propId);
      const graphId = JSON.stringify({index: id.index, type: "chart"});
      const holder = document.getElementById(graphId);
      const gd = holder && (holder.classList.contains("js-plotly-plot") ? holder : holder.querySelector(".js-plotly-plot"));
      if (!gd || !window.Plotly) return nu;
      const format = id.type === "chart-svg" ? "svg" : "png";
      const size = gd._fullLayout || {};
      window.Plotly.downloadImage(gd, {
        format: format, scale: format === "png" ? 2 : 1,
        width: size.width || 900, height: size.height || 400,
        filename: (button && button.dataset.filename) || "grafiek",
      });
      return {downloaded: button && button.dataset.filename, format: format, at: Date.now()};
    },

    /* In presentation mode the filter bar is hidden, so the active filters are named on screen. */
    presentationFilters: function (quarter, departments, statuses) {
      const q = quarter ? quarter.slice(0, 4) + " " + quarter.slice(4) : "–";
      const d = departments && departments.length ? departments.join(", ") : "alle";
      const s = statuses && statuses.length ? statuses.join(", ") : "alle";
      return "Stand van zaken " + q + " · Departement: " + d + " · Status: " + s;
    },

    /* The search box above a task table filters its rows (AG Grid quick filter). */
    quickFilter: function (value, options) {
      return Object.assign({}, options || {}, {quickFilterText: value || ""});
    },
  },
});

/* Presentation mode for screen-sharing: large type, filter chrome hidden, ← / → through the
   pillars and SDGs in plan order, Esc leaves. Turned on by ?presentatie=1 or the toggle; kept in
   sessionStorage so it survives navigation inside the app (links need not carry the flag). */
(function () {
  const KEY = "beleidsmonitor.presentatie";
  const on = () => window.sessionStorage.getItem(KEY) === "1";
  function apply() {
    const params = new URLSearchParams(window.location.search);
    if (params.get("presentatie") === "1") window.sessionStorage.setItem(KEY, "1");
    if (params.get("presentatie") === "0") window.sessionStorage.removeItem(KEY);
    document.documentElement.classList.toggle("presentation", on());
    const toggle = document.getElementById("presentation-toggle");
    if (toggle) {
      toggle.textContent = on() ? "Presentatie stoppen (Esc)" : "Presentatie";
      toggle.setAttribute("aria-pressed", on() ? "true" : "false");
    }
  }
  function navigate(path) {
    const params = new URLSearchParams(window.location.search);
    params.delete("presentatie");
    const qs = params.toString();
    window.history.pushState({}, "", path + (qs ? "?" + qs : ""));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }
  function setMode(value) {
    if (value) window.sessionStorage.setItem(KEY, "1"); else window.sessionStorage.removeItem(KEY);
    const params = new URLSearchParams(window.location.search);
    if (params.has("presentatie")) {
      params.delete("presentatie");
      const qs = params.toString();
      window.history.replaceState({}, "", window.location.pathname + (qs ? "?" + qs : ""));
    }
    apply();
  }
  function step(delta) {
    const holder = document.getElementById("presentation-sequence");
    if (!holder) return;
    const sequence = JSON.parse(holder.dataset.sequence || "[]");
    const path = window.location.pathname;
    // Deeper pages (action plan, task) step from the SDG they belong to.
    let index = sequence.indexOf(path);
    if (index < 0) {
      const sdg = path.match(/^\/sdg\/\d+/);
      index = sdg ? sequence.indexOf(sdg[0]) : -1;
    }
    const next = Math.min(sequence.length - 1, Math.max(0, index + delta));
    if (sequence[next] && sequence[next] !== path) navigate(sequence[next]);
  }
  document.addEventListener("keydown", function (event) {
    if (!on() || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") { event.preventDefault(); step(1); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { event.preventDefault(); step(-1); }
    else if (event.key === "Escape") { event.preventDefault(); setMode(false); }
  });
  document.addEventListener("click", function (event) {
    const toggle = event.target.closest && event.target.closest("#presentation-toggle");
    if (toggle) setMode(!on());
  });
  window.addEventListener("popstate", apply);
  window.addEventListener("_dashprivate_pushstate", apply);
  // The toggle is rendered by Dash after this script runs: apply once it exists.
  new MutationObserver(function () {
    const toggle = document.getElementById("presentation-toggle");
    if (toggle && !toggle.dataset.ready) { toggle.dataset.ready = "1"; apply(); }
  }).observe(document.documentElement, {childList: true, subtree: true});
  apply();
})();
