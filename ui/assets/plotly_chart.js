// One Plotly chart, drawn by the cartesian build of plotly.js that the app serves itself
// (static/, see ui/plotly_view.py). data: {figure: the figure's JSON text, config, stretch, select, src}.
// ui/plotly_view.py puts plotly_loader.js (window.ttdnPlotly) before this.

// The page's charts are drawn one at a time, in the order they came, each after the browser has shown
// what was drawn before it: the first chart appears while the next is still to be drawn, instead of
// all of them at once after the last (a chart takes 0.1–0.2 s of the browser's one main thread).
const queue = window.ttdnChartQueue || (window.ttdnChartQueue = { jobs: [], running: false });

function drawInTurn(draw) {
  queue.jobs.push(draw);
  if (!queue.running) {
    queue.running = true;
    setTimeout(next, 0);
  }
}

function next() {
  const draw = queue.jobs.shift();
  if (!draw) {
    queue.running = false;
    return;
  }
  try {
    draw();
  } finally {
    // the next chart after the browser's next paint (a hidden page paints nothing: at once)
    if (document.hidden) setTimeout(next, 0);
    else requestAnimationFrame(() => setTimeout(next, 0));
  }
}

export default function ({ data, parentElement, setTriggerValue }) {
  let chart = parentElement.querySelector(".ttdn-chart");
  if (!chart) {
    chart = document.createElement("div");
    chart.className = "ttdn-chart";
    parentElement.appendChild(chart);
  }
  if (data.stretch) {
    parentElement.style.height = "100%";
    chart.style.height = "100%";
  }
  const figure = JSON.parse(data.figure);
  let gone = false;
  let observer = null;
  window.ttdnPlotly(data.src).then((Plotly) => drawInTurn(() => {
    if (gone) return;
    const layout = { ...figure.layout, autosize: true };
    Plotly.react(chart, figure.data || [], layout, data.config || {});
    if (data.select && !chart.ttdnClicks) {
      chart.ttdnClicks = true; // one listener, across the reruns that redraw this chart
      chart.on("plotly_click", (event) => {
        const point = event && event.points && event.points[0];
        if (point) setTriggerValue("click", { x: point.x, y: point.y, index: point.pointIndex });
      });
    }
    observer = new ResizeObserver(() => {
      if (chart.offsetParent !== null) Plotly.Plots.resize(chart);
    });
    observer.observe(parentElement);
  })).catch(() => {
    chart.textContent = "Không tải được thư viện biểu đồ: hãy tải lại trang.";
  });
  return () => {
    gone = true;
    if (observer) observer.disconnect();
  };
}
