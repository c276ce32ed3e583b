// Client-side helpers (files here, not inline strings, so the Content-Security-Policy needs no hashes).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    // The language link points to the *other* language, so the page's language is its opposite.
    setLang: function (otherLang) {
      var lang = otherLang === "en" ? "nb" : "en";
      document.documentElement.lang = lang;
      document.title = lang === "en" ? "The introduction programme in figures" : "Introduksjonsprogrammet i tall";
      return "";
    }
  }
});
