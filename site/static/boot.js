// Starts the dashboard and the filter bars of static tables. The wasm and
// each snapshot's data are carried by classic scripts, so this works from
// file:// as well as over HTTP.
//
// #bench in the address creates window.ARSITE_BENCH, where the dashboard
// records its timings for `cargo xtask dashboard-bench`.
(function () {
  "use strict";
  var bench = /(^#|&)bench(&|$)/.test(location.hash) ? (window.ARSITE_BENCH = { boot: performance.now() }) : null;
  var root = document.getElementById("arsite-dashboard");
  var tables = document.querySelectorAll("table[data-arsite-filter]");
  if (!root && !tables.length) return;
  var snapshot = root && root.getAttribute("data-snapshot");
  function fail(message) {
    if (!root) return;
    root.textContent = message;
    root.setAttribute("data-state", "error");
  }
  // A data script holds its base64 text in a comment inside a function
  // (browsers scan comments faster than string literals); older sites held
  // a plain string. Either way the wasm checks the format version.
  function dataText(d) {
    if (typeof d !== "function") return d;
    var s = d.toString();
    return s.slice(s.indexOf("/*") + 2, s.lastIndexOf("*/"));
  }
  function bytes(base64) {
    var text = atob(base64), n = text.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  if (typeof wasm_bindgen !== "function" || !window.ARSITE_WASM) {
    fail("The dashboard's program did not load. The figures are on the aging page.");
    return;
  }
  var data = root && window.ARSITE_DATA && dataText(window.ARSITE_DATA[snapshot]);
  if (root && typeof data !== "string") {
    fail("The data of snapshot " + snapshot + " did not load. The figures are on the aging page.");
    root = null;
    if (!tables.length) return;
  }
  wasm_bindgen({ module_or_path: bytes(window.ARSITE_WASM) })
    .then(function () {
      if (bench) bench.wasm_ms = performance.now() - bench.boot;
      if (tables.length) wasm_bindgen.mount_filter_bars();
      if (!root) return;
      // The data text goes to the wasm as is (decoded there); the page's
      // copy is dropped so a million invoices are not held twice.
      delete window.ARSITE_DATA[snapshot];
      if (bench) bench.mount_call = performance.now();
      wasm_bindgen.mount_dashboard(data);
      data = null;
      root.setAttribute("data-state", "ready");
      if (bench) bench.ready = performance.now();
    })
    .catch(function (e) {
      fail("The dashboard could not start: " + (e && e.message ? e.message : e));
    });
})();
