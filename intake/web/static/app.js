// Drop PDF files anywhere on a page to send them to the inbox; the forms work without this.
(function () {
  "use strict";
  var overlay = document.getElementById("drop-overlay");
  var status = document.getElementById("upload-status");
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var depth = 0;

  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }

  function show(message, failed) {
    status.textContent = message;
    status.className = "toast" + (failed ? " toast-error" : "");
    status.hidden = false;
    clearTimeout(show.timer);
    show.timer = setTimeout(function () { status.hidden = true; }, 6000);
  }

  function send(files) {
    var form = new FormData();
    for (var i = 0; i < files.length; i++) form.append("files", files[i]);
    show("กำลังส่ง " + files.length + " ไฟล์…");
    fetch("/upload", {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRF-Token": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { saved: [], refused: ["ส่งไม่สำเร็จ (" + response.status + ")"] }; });
    }).then(function (result) {
      var parts = [];
      if (result.saved.length) parts.push("รับแล้ว " + result.saved.length + " ไฟล์: " + result.saved.join(", "));
      if (result.refused.length) parts.push(result.refused.join("; "));
      show(parts.join(" · "), result.refused.length > 0);
    }).catch(function () { show("ส่งไม่สำเร็จ: ติดต่อเซิร์ฟเวอร์ไม่ได้", true); });
  }

  document.addEventListener("dragenter", function (event) {
    if (!carriesFiles(event)) return;
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener("dragleave", function () {
    if (--depth <= 0) { depth = 0; overlay.hidden = true; }
  });
  document.addEventListener("dragover", function (event) {
    if (carriesFiles(event)) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    send(event.dataTransfer.files);
  });
})();

// A page PDFium cannot draw: say so instead of showing a broken image.
(function () {
  "use strict";
  function replace(img) {
    var note = document.createElement("p");
    note.className = "no-preview";
    note.textContent = "แสดงภาพหน้าแรกของไฟล์นี้ไม่ได้ — ดาวน์โหลด PDF เพื่อเปิดดู";
    img.replaceWith(note);
  }
  document.querySelectorAll(".preview img").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0) replace(img);
    else img.addEventListener("error", function () { replace(img); });
  });
})();
