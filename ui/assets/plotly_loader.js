// window.ttdnPlotly(src): a promise of plotly.js, loaded once per page as a classic script from the
// app's own address (relative to the page, so a base path holds). Inlined both in the page's head
// (ui/page_shell.py: loaded while the browser waits for the page's script run) and in the chart's
// component (ui/plotly_view.py: loaded by the first chart, when the head's hint is not there).
window.ttdnPlotly = window.ttdnPlotly || function (src) {
  if (!window.ttdnPlotlyLoad) {
    window.ttdnPlotlyLoad = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL(src, document.baseURI).href;
      script.onload = function () { resolve(window.Plotly); };
      script.onerror = function () {
        window.ttdnPlotlyLoad = null; // the next chart tries again
        reject(new Error("plotly.js"));
      };
      document.head.appendChild(script);
    });
  }
  return window.ttdnPlotlyLoad;
};
