// Starts the dashboard: decodes the wasm and the snapshot data (both carried
// by classic scripts, so this works from file:// too) and mounts the app.
(function () {
  "use strict";
  var root = document.getElementById("arsite-dashboard");
  if (!root) return;
  var snapshot = root.getAttribute("data-snapshot");
  function fail(message) {
    root.textContent = message;
    root.setAttribute("data-state", "error");
  }
  function bytes(base64) {
    var text = atob(base64), n = text.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = text.charCodeAt(i);
    return out;
  }
  var data = window.ARSITE_DATA && window.ARSITE_DATA[snapshot];
  if (typeof wasm_bindgen !== "function" || !window.ARSITE_WASM) {
    fail("The dashboard's program did not load. The figures are on the aging page.");
    return;
  }
  if (!data) {
    fail("The data of snapshot " + snapshot + " did not load. The figures are on the aging page.");
    return;
  }
  wasm_bindgen({ module_or_path: bytes(window.ARSITE_WASM) })
    .then(function () {
      wasm_bindgen.mount_dashboard(bytes(data));
      root.setAttribute("data-state", "ready");
    })
    .catch(function (e) {
      fail("The dashboard could not start: " + e);
    });
})();
