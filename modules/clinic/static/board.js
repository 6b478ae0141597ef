/* The queue board, live: server-sent events replace the polis as the desk calls (views_board.py).
   Without EventSource, or when the stream is refused (204) or keeps failing, the page reloads
   every data-refresh seconds, as it does without JavaScript (<noscript> meta refresh). */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !board.dataset.events) { return; }
  var refresh = parseInt(board.dataset.refresh || "15", 10) * 1000;
  function poll() { window.setTimeout(function () { window.location.reload(); }, refresh); }
  if (!window.EventSource) { poll(); return; }
  var failures = 0;
  var source = new EventSource(board.dataset.events);
  source.addEventListener("open", function () { failures = 0; });  /* a stream ends every minute: not a failure */
  source.addEventListener("board", function (event) {
    failures = 0;
    board.innerHTML = event.data;
    document.getElementById("board-polling").hidden = true;
    document.getElementById("board-live").hidden = false;
  });
  source.addEventListener("error", function () {
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures > 3) {
      source.close();
      document.getElementById("board-polling").hidden = false;
      document.getElementById("board-live").hidden = true;
      poll();
    }
  });
}());
