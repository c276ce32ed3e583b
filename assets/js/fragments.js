// dashboard/fragments.py's Fragment: one element whose content is HTML rendered (and escaped) on the server.
// One React component however large the content, so Dash's renderer has one wrapper to visit, not hundreds.
// React replaces the inner HTML only when the string changes.
(function () {
  // A <details> the reader opened stays open when its fragment is replaced by a filter change.
  var openDetails = new Set();
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (!d || d.tagName !== "DETAILS" || !d.id) { return; }
    if (d.open) { openDetails.add(d.id); } else { openDetails.delete(d.id); }
  }, true);  // toggle does not bubble

  function Fragment(props) {
    var React = window.React;
    var ref = React.useRef(null);
    React.useLayoutEffect(function () {
      if (!ref.current || !openDetails.size) { return; }
      ref.current.querySelectorAll("details[id]").forEach(function (d) {
        if (openDetails.has(d.id)) { d.open = true; }
      });
    }, [props.html]);
    var attrs = {
      ref: ref,
      id: props.id,
      className: props.className,
      hidden: props.hidden,
      role: props.role,
      dangerouslySetInnerHTML: {__html: props.html || ""}
    };
    Object.keys(props).forEach(function (k) {
      if (k.indexOf("aria-") === 0 || k.indexOf("data-") === 0) { attrs[k] = props[k]; }
    });
    return React.createElement(props.tag || "div", attrs);
  }

  window.dashboard_fragments = {Fragment: Fragment};
})();
