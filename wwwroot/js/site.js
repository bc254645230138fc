// ALOE Studio front-end glue: antiforgery header for htmx, and plotly charts for every
// element with a data-plot JSON attribute (on load and after every htmx swap).

const token = document.querySelector('meta[name="csrf-token"]')?.content;

document.addEventListener('htmx:configRequest', (event) => {
  if (token) event.detail.headers['X-CSRF-TOKEN'] = token;
});

const baseLayout = {
  font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', size: 12, color: '#27302b' },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  margin: { t: 20, r: 20, b: 40, l: 50 },
  hovermode: 'closest',
};

export function drawPlots(root = document) {
  if (!window.Plotly) return;
  root.querySelectorAll('[data-plot]').forEach((element) => {
    const spec = JSON.parse(element.dataset.plot);
    const layout = { ...baseLayout, ...spec.layout };
    window.Plotly.react(element, spec.data, layout, { displaylogo: false, responsive: true });
    element.dataset.plotted = 'true';
  });
}

function whenReady() {
  drawPlots();
  document.body.addEventListener('htmx:afterSwap', (event) => drawPlots(event.detail.target));
  document.body.addEventListener('htmx:oobAfterSwap', (event) => drawPlots(event.detail.target));
}

// plotly.min.js is a deferred classic script; module scripts run after it.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenReady);
else whenReady();
