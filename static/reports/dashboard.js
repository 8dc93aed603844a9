// Charts of the 교육 실적 dashboard, drawn with Chart.js from the figures the page embeds.
// The same figures are in the tables beside them, for screen readers and printing.
(function () {
  "use strict";

  function draw() {
    if (typeof window.Chart === "undefined") return;
    var data = JSON.parse(document.getElementById("report-chart-data").textContent);
    var labels = data.labels;

    new window.Chart(document.getElementById("chart-outreach"), {
      type: "bar",
      data: {
        labels: data.quarters,
        datasets: [
          { label: labels.sessions, data: data.sessions, yAxisID: "y" },
          { label: labels.attendees, data: data.attendees, type: "line", yAxisID: "y1" },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, position: "left" },
          y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } },
        },
      },
    });
    new window.Chart(document.getElementById("chart-online"), {
      type: "bar",
      data: {
        labels: data.quarters,
        datasets: [
          { label: labels.learners, data: data.learners },
          { label: labels.completers, data: data.completers },
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    });
    new window.Chart(document.getElementById("chart-regions"), {
      type: "bar",
      data: {
        labels: data.regions,
        datasets: [{ label: labels.attendees, data: data.region_attendees }],
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true } } },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
