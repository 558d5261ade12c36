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
        return [nu, params.get("kwartaal") || latest, params.getAll("departement"), params.getAll("status")];
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

    /* The search box above a task table filters its rows (AG Grid quick filter). */
    quickFilter: function (value, options) {
      return Object.assign({}, options || {}, {quickFilterText: value || ""});
    },
  },
});
