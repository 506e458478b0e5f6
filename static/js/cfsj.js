// cfsj: htmx set-up. No inline scripts (the content security policy forbids them) and no eval.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) { return; }
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  // A rate-limited search (429) answers with a fragment that says so: show it, as htmx would
  // otherwise drop a 4xx answer silently.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Send the CSRF token with every htmx request (read from the form the page already has).
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
});
