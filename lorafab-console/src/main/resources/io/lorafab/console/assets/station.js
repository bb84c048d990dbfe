// A station's screen, kept live from the server's event stream: each "screen" event is the whole screen rendered
// again by the server, so the page itself is never reloaded. The browser's EventSource reconnects by itself when the
// connection drops; when it gives up (the server answered something else while restarting) we open a new one.
(function () {
  var page = document.getElementById('station-page');
  var screen = document.getElementById('station-screen');
  var live = document.getElementById('station-live');
  if (!page || !screen || !window.EventSource) {
    return;
  }
  function state(s, text) {
    live.setAttribute('data-live', s);
    live.textContent = text;
  }
  function connect() {
    var source = new EventSource(page.getAttribute('data-events'));
    source.addEventListener('screen', function (e) {
      screen.innerHTML = e.data;
      state('on', 'live');
    });
    source.onerror = function () {
      state('off', 'connection lost: reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 2000);
      }
    };
  }
  connect();
})();
