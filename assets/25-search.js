/* Browser-side callbacks of the top bar's search box (see dashboard/callbacks.py). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  beleidsmonitorSearch: {
    /* Enter or "Zoek": open /zoeken?q=… and keep the filters of the current view. */
    submit: function (nSubmit, nClicks, value, search) {
      const q = (value || "").trim();
      if (!q) return window.dash_clientside.no_update;
      const next = new URLSearchParams();
      next.append("q", q);
      new URLSearchParams(search || "").forEach((v, k) => {
        if (["kwartaal", "departement", "status", "presentatie"].includes(k)) next.append(k, v);
      });
      return "/zoeken?" + next.toString();
    },

    /* On /zoeken the box shows the query of the URL; elsewhere it is empty. */
    showQuery: function (pathname, search) {
      if (pathname === "/zoeken") return new URLSearchParams(search || "").get("q") || "";
      // Leaving /zoeken clears the box; a filter change elsewhere leaves what the user is typing.
      const trig = (window.dash_clientside.callback_context.triggered || []).map(t => t.prop_id);
      return trig.some(p => p.endsWith(".pathname")) ? "" : window.dash_clientside.no_update;
    },
  },
});
