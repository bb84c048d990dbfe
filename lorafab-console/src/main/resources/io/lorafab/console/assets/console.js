// The console's own script, loaded from the jar (the Content-Security-Policy allows no inline script).
// htmx requests carry the session's CSRF token as a header; forms carry it in their hidden _csrf field.
document.addEventListener('htmx:configRequest', function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    e.detail.headers['X-CSRF-Token'] = meta.content;
  }
});
