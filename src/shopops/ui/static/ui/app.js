// Small behaviours for every page, here instead of inline handlers (the Content-Security-Policy forbids
// inline script): a <select data-autosubmit> submits its form as soon as it changes (shop switcher, filters).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});

// Panels loaded after the page (ui/_lazy.html): when the fragment cannot be fetched or answers an error, the grey
// blocks give way to the panel's short message (never the error page itself).
function shopopsLazyFailed(event) {
  var el = event.detail && event.detail.elt;
  if (!el || !el.classList || !el.classList.contains("lazy")) return;
  var note = document.createElement("p");
  note.className = "panel errorlist lazy-failed";
  note.setAttribute("role", "alert");
  note.textContent = el.getAttribute("data-lazy-failed") || "";
  el.replaceChildren(note);
  el.setAttribute("aria-busy", "false");
  el.removeAttribute("hx-get");
}
document.addEventListener("htmx:responseError", shopopsLazyFailed);
document.addEventListener("htmx:sendError", shopopsLazyFailed);
// A panel's answer is always one element marked data-panel: anything else (the login page after the session ran
// out, a proxy's error page) is not swapped in, the message is shown instead.
document.addEventListener("htmx:beforeSwap", function (event) {
  var el = event.detail && event.detail.elt;
  if (!el || !el.classList || !el.classList.contains("lazy") || !event.detail.shouldSwap) return;
  if ((event.detail.serverResponse || "").indexOf("data-panel=") === -1) {
    event.detail.shouldSwap = false;
    shopopsLazyFailed(event);
  }
});
