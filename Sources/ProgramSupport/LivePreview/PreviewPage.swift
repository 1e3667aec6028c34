// The page the preview serves at /: HTML, CSS and JavaScript of our own, nothing from anywhere
// else. The browser keeps one connection open to /events (an EventSource); at each event the
// page updates the figures, adds the losses to the chart and, when the picture has changed and
// the last one has arrived, asks for /picture.png again. Every request carries the token the
// page's own address came with.

/// The page for a run of `program`.
func previewPage(program: String) -> String {
    """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(program): live preview</title>
    <style>
      body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fafafa; }
      h1 { font-size: 1.2em; margin: 0 0 0.6em; }
      #layout { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
      #picture { max-width: 100%; max-height: 75vh; image-rendering: auto; border: 1px solid #ccc; background: #eee; min-width: 256px; min-height: 192px; }
      #side { width: 440px; }
      #status { overflow-wrap: anywhere; }
      table { border-collapse: collapse; margin-bottom: 1em; }
      td { padding: 2px 12px 2px 0; }
      td:first-child { color: #666; }
      button { font: inherit; padding: 0.35em 1em; margin-right: 0.5em; }
      #status { margin: 0.8em 0; font-weight: 600; }
      canvas { border: 1px solid #ccc; background: white; }
    </style>
    </head>
    <body>
    <h1>\(program): watching it paint</h1>
    <div id="layout">
      <img id="picture" alt="the picture as it is now">
      <div id="side">
        <table id="figures"></table>
        <canvas id="chart" width="440" height="260"></canvas>
        <div id="status">connecting...</div>
        <button id="stop">Stop and keep the picture</button>
        <button id="next">Next scale</button>
      </div>
    </div>
    <script>
    "use strict";
    const query = "token=" + encodeURIComponent(new URLSearchParams(location.search).get("token") || "");
    const colours = ["#222", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
    const curves = {};          // loss name -> [[x, value], ...]
    let updates = 0, shown = -1, loading = false, wanted = -1;

    function text(id, value) { document.getElementById(id).textContent = value; }
    function duration(s) {
      if (s == null) return "";
      s = Math.round(s);
      return s >= 3600 ? Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min"
           : s >= 60 ? Math.floor(s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
    function bytes(n) { return n == null ? "" : n >= 1 << 30 ? (n / (1 << 30)).toFixed(1) + " GB" : Math.round(n / (1 << 20)) + " MB"; }

    function showFigures(s) {
      const rows = [];
      const count = s.program === "style-train" ? "step" : "iteration";
      rows.push([count, s.iteration + (s.iterations ? " of " + s.iterations : "")]);
      if (s.frame) rows.push(["frame", s.frame + " of " + s.frames]);
      if (s.scale) rows.push(["scale", s.scale + " of " + s.scales + (s.size ? " (" + s.size + " px)" : "")]);
      for (const name in (s.losses || {})) rows.push([name, s.losses[name] == null ? "" : s.losses[name].toPrecision(4)]);
      if (s.rate) rows.push([count + "s per second", s.rate.toFixed(2)]);
      if (s.secondsLeft != null && !s.ended) rows.push(["time left", duration(s.secondsLeft)]);
      if (s.peakMemory) rows.push(["peak memory", bytes(s.peakMemory)]);
      const table = document.getElementById("figures");
      table.replaceChildren(...rows.map(([a, b]) => {
        const tr = document.createElement("tr");
        for (const cell of [a, b]) { const td = document.createElement("td"); td.textContent = cell; tr.appendChild(td); }
        return tr;
      }));
    }

    // Each loss term's log10 against the iteration (for a video, against the updates).
    let xName = "iteration";
    function drawChart() {
      const canvas = document.getElementById("chart"), g = canvas.getContext("2d");
      const W = canvas.width, H = canvas.height, left = 44, right = 104, top = 10, bottom = 26;
      g.clearRect(0, 0, W, H);
      const names = Object.keys(curves);
      const points = names.flatMap(n => curves[n]);
      if (points.length === 0) return;
      const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
      const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
      const y0 = Math.floor(Math.min(...ys)), y1 = Math.ceil(Math.max(...ys, y0 + 1));
      const px = x => left + (x - x0) / (x1 - x0) * (W - left - right);
      const py = y => top + (y1 - y) / (y1 - y0) * (H - top - bottom);
      g.font = "11px system-ui, sans-serif"; g.fillStyle = "#666"; g.strokeStyle = "#ddd";
      for (let y = y0; y <= y1; y++) {
        g.beginPath(); g.moveTo(left, py(y)); g.lineTo(W - right, py(y)); g.stroke();
        g.fillText("1e" + y, 4, py(y) + 4);
      }
      g.fillText(x0, left, H - 8); g.textAlign = "right"; g.fillText(x1, W - right, H - 8); g.textAlign = "left";
      g.textAlign = "center"; g.fillText(xName + " (the losses on a log scale)", (left + W - right) / 2, H - 8); g.textAlign = "left";
      names.forEach((name, i) => {
        g.strokeStyle = colours[i % colours.length]; g.lineWidth = 1.5;
        g.beginPath();
        curves[name].forEach(([x, y], k) => k ? g.lineTo(px(x), py(y)) : g.moveTo(px(x), py(y)));
        g.stroke();
      });
      // The legend to the right of the curves.
      names.forEach((name, i) => { g.fillStyle = colours[i % colours.length]; g.fillText(name, W - right + 8, top + 12 + 14 * i); });
      g.lineWidth = 1;
    }

    // Asks for the picture when it has changed, one request at a time.
    function refreshPicture(n) {
      wanted = n;
      if (loading || n === shown) return;
      loading = true;
      const image = new Image();
      image.onload = () => {
        document.getElementById("picture").src = image.src;
        shown = n; loading = false;
        if (wanted !== shown) refreshPicture(wanted);
      };
      image.onerror = () => { loading = false; };
      image.src = "/picture.png?" + query + "&n=" + n;
    }

    const events = new EventSource("/events?" + query);
    events.onmessage = message => {
      const s = JSON.parse(message.data);
      updates += 1;
      const x = s.frame ? updates : s.iteration;
      xName = s.frame ? "update" : s.program === "style-train" ? "step" : "iteration";
      for (const name in (s.losses || {})) {
        const value = s.losses[name];
        if (value > 0) (curves[name] = curves[name] || []).push([x, Math.log10(value)]);
      }
      showFigures(s);
      drawChart();
      refreshPicture(s.picture);
      document.getElementById("next").disabled = !s.nextScale || !!s.ended;
      if (s.ended) {
        text("status", "the run has ended: " + s.ended);
        document.getElementById("stop").disabled = true;
        events.close();
      } else {
        text("status", "running");
      }
    };
    events.onerror = () => { if (events.readyState === EventSource.CLOSED) text("status", "the run is no longer there"); };

    function ask(path, button) {
      button.disabled = true;
      fetch(path + "?" + query, { method: "POST" })
        .then(r => r.text()).then(t => text("status", t.trim()))
        .catch(() => text("status", "the run did not answer"));
    }
    document.getElementById("stop").onclick = e => ask("/stop", e.target);
    document.getElementById("next").onclick = e => ask("/next-scale", e.target);
    </script>
    </body>
    </html>
    """
}
