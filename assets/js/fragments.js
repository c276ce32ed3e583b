// dashboard/fragments.py's Fragment: one element whose content is HTML rendered (and escaped) on the server.
// One React component however large the content, so Dash's renderer has one wrapper to visit, not hundreds.
// React replaces the inner HTML only when the string changes.
window.dashboard_fragments = {
  Fragment: function (props) {
    var attrs = {
      id: props.id,
      className: props.className,
      hidden: props.hidden,
      role: props.role,
      dangerouslySetInnerHTML: {__html: props.html || ""}
    };
    Object.keys(props).forEach(function (k) {
      if (k.indexOf("aria-") === 0 || k.indexOf("data-") === 0) { attrs[k] = props[k]; }
    });
    return window.React.createElement(props.tag || "div", attrs);
  }
};
