/* Cell renderers for the task tables (dash-ag-grid looks them up by name in this namespace). */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

/* A status as a labelled, coloured badge (colour is never the only cue). */
dagcomponentfuncs.StatusBadge = function (props) {
  const value = props.value || "";
  const slug = value.toLowerCase().replace(/\s+/g, "-");
  return React.createElement("span", {className: "status-badge status-" + slug}, value);
};

/* The task code and name as a link to the task's page with its toelichting per quarter. */
dagcomponentfuncs.TaskLink = function (props) {
  const href = props.data && props.data._link;
  if (!href) return props.value;
  const onClick = function (event) {
    // Plain clicks navigate inside the app as dcc.Link does; modified clicks keep the browser's behaviour.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  };
  return React.createElement("a", {href: href, className: "task-link", onClick: onClick}, props.value);
};
