// The console's charts: every element with a data-chart attribute (JSON written by the page) is drawn with uPlot.
// Histograms ("hist") are bars of {x: bin lower edges, y: counts, binWidth}, with the product's minimum drawn as a
// red line; "line" is a series over time (x epoch seconds). The page's tables hold the same figures for readers
// without JS; once a chart is drawn its table is folded away (still a click away).
(function () {
  'use strict';

  function thresholdPlugin(threshold) {
    return {
      hooks: {
        draw: [function (u) {
          if (threshold === null || threshold === undefined) {
            return;
          }
          var x = Math.round(u.valToPos(threshold, 'x', true));
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#b3261e';
          ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
          ctx.setLineDash([6, 4]);
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.restore();
        }]
      }
    };
  }

  function histogram(el, d) {
    var lo = Math.min.apply(null, d.x);
    var hi = Math.max.apply(null, d.x) + d.binWidth;
    if (d.threshold !== null) {
      lo = Math.min(lo, d.threshold - d.binWidth);
      hi = Math.max(hi, d.threshold + d.binWidth);
    }
    var opts = {
      width: Math.max(240, el.clientWidth),
      height: 200,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [lo, hi] }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{ label: d.unit }, { label: 'units', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000] }],
      series: [{}, {
        label: d.label,
        fill: 'rgba(11, 95, 255, 0.35)',
        stroke: '#0b5fff',
        paths: uPlot.paths.bars({ size: [0.92, Infinity], align: 1 }),
        points: { show: false }
      }],
      plugins: [thresholdPlugin(d.threshold)]
    };
    new uPlot(opts, [d.x, d.y], el);
    if (d.threshold !== null) {
      el.setAttribute('data-threshold-drawn', String(d.threshold));
    }
  }

  function line(el, d) {
    var opts = {
      width: Math.max(240, el.clientWidth),
      height: 200,
      legend: { show: false },
      scales: { y: { range: [0, 100] } },
      axes: [{}, { label: d.unit }],
      series: [{}, { label: d.label, stroke: '#1e7d32', width: 2, spanGaps: false }]
    };
    new uPlot(opts, [d.x, d.y], el);
  }

  function draw() {
    if (typeof uPlot === 'undefined') {
      return; // the library did not load: the tables stay open
    }
    var els = document.querySelectorAll('[data-chart]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var d;
      try {
        d = JSON.parse(el.getAttribute('data-chart'));
      } catch (e) {
        continue;
      }
      if (!d.x || d.x.length === 0) {
        continue;
      }
      if (d.kind === 'hist') {
        histogram(el, d);
      } else if (d.kind === 'line') {
        line(el, d);
      }
      el.setAttribute('data-drawn', 'true');
      var box = el.closest('figure');
      var table = box && box.querySelector('details.figures-table');
      if (table) {
        table.removeAttribute('open');
      }
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', draw);
  } else {
    draw();
  }
})();
