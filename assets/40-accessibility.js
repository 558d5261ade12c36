/* Accessibility fixes of third-party widgets whose markup no Dash prop reaches (WCAG 2.1 AA).
 *
 * dcc.Dropdown (Dash 4):
 *  - Tab reaches a hidden, aria-hidden input that forwards focus to the real button (a Safari work-
 *    around); aria-hidden content must not be focusable. The CSS hides that input; here the button
 *    itself joins the Tab order.
 *  - The button is named by its value only ("Alle departementen"); its <label> is put in front, so a
 *    screen reader says "Departement, Alle departementen".
 *  - The open list is a listbox of <label role="option"> elements that each hold a checkbox or radio
 *    button: interactive controls nested in an option, and a listbox without a name. The options are
 *    plain labelled checkboxes (radios) in a named group instead, as what they are; the popup is a
 *    dialog named after the filter.
 * dcc.Upload: its file input gets the drop zone's text as its name.
 * AG Grid: Enter on a focused cell that holds a link (the task) follows the link, as a click does.
 */
(function () {
  "use strict";

  function labelFor(control) {
    if (!control || !control.id) return null;
    return document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
  }

  function labelText(control) {
    const label = labelFor(control);
    return label ? label.textContent.trim() : "";
  }

  function fixTrigger(button) {
    if (!button.disabled && button.tabIndex !== 0) button.tabIndex = 0;
    const label = labelFor(button);
    if (!label) return;
    if (!label.id) label.id = button.id + "-label";
    const names = (button.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    if (names[0] !== label.id) {
      button.setAttribute("aria-labelledby", [label.id].concat(names.filter(n => n !== label.id)).join(" "));
    }
    if (button.getAttribute("aria-haspopup") !== "dialog") button.setAttribute("aria-haspopup", "dialog");
  }

  /* The name of an open dropdown: its filter's label. */
  function popupName(content) {
    const trigger = content && content.id && document.querySelector('[aria-controls="' + CSS.escape(content.id) + '"]');
    return labelText(trigger) || "Keuzelijst";
  }

  function fixPopup(content) {
    const name = popupName(content);
    if (content.getAttribute("aria-label") !== name) content.setAttribute("aria-label", name);
  }

  function fixList(list) {
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", popupName(list.closest(".dash-dropdown-content")));
  }

  function fixSearch(input) {
    input.setAttribute("aria-label", "Zoek in " + popupName(input.closest(".dash-dropdown-content")).toLowerCase());
  }

  function fixOption(option) {
    if (option.hasAttribute("role")) option.removeAttribute("role");
    if (option.hasAttribute("aria-selected")) option.removeAttribute("aria-selected");
  }

  function fixUpload(input) {
    const zone = input.parentElement;
    const text = zone ? zone.textContent.replace(/\s+/g, " ").trim() : "";
    input.setAttribute("aria-label", text || "Bestanden kiezen");
  }

  /* ``fn`` on ``root`` itself when it matches ``selector``, and on every match inside it. */
  function each(root, selector, fn) {
    if (root.matches(selector)) fn(root);
    root.querySelectorAll(selector).forEach(fn);
  }

  function fixAll(root) {
    each(root, "button.dash-dropdown", fixTrigger);
    each(root, ".dash-dropdown-content", fixPopup);
    each(root, '.dash-dropdown-content [role="listbox"]', fixList);
    each(root, ".dash-dropdown-content input.dash-dropdown-search:not([aria-label])", fixSearch);
    each(root, "label.dash-options-list-option", fixOption);
    each(root, 'input[type="file"]:not([aria-label]):not([id])', fixUpload);
  }

  // Charts and grids add thousands of nodes and hold none of these widgets: skip them cheaply.
  const SKIP = ".js-plotly-plot, .ag-root-wrapper";

  function onMutations(records) {
    for (const record of records) {
      const target = record.target;
      if (record.type === "attributes") {
        // React sets aria-selected again when an option is (de)selected.
        if (target.matches("label.dash-options-list-option")) fixOption(target);
        continue;
      }
      if (target.closest && target.closest(SKIP)) continue;
      for (const node of record.addedNodes) {
        if (node.nodeType === 1) fixAll(node);
      }
    }
  }

  function onKeydown(event) {
    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const cell = event.target.classList && event.target.classList.contains("ag-cell") ? event.target : null;
    const link = cell && cell.querySelector("a[href]");
    if (!link) return;
    event.preventDefault();
    link.click();
  }

  function start() {
    document.addEventListener("keydown", onKeydown);
    fixAll(document.body);
    new MutationObserver(onMutations).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["aria-selected", "role"],
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
