// cfsj: htmx set-up. No inline scripts (the content security policy forbids them) and no eval.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.htmx) { return; }
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  // Send the CSRF token with every htmx request (read from the form the page already has).
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
});
