// Small behaviours for every page, here instead of inline handlers (the Content-Security-Policy forbids
// inline script): a <select data-autosubmit> submits its form as soon as it changes (shop switcher, filters).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
