// Drag and drop onto the evidence form's drop zone. Without script the file input works as is.
document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("[data-dropzone]")) {
    const input = zone.querySelector("input[type=file]");
    const shown = zone.querySelector("[data-dropzone-name]");
    const show = () => {
      const file = input.files && input.files[0];
      shown.textContent = file ? `${file.name} (${Math.ceil(file.size / 1024)} KB)` : "";
    };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length > 0) {
        input.files = event.dataTransfer.files;
        const kind = zone.closest("form").querySelector("input[name=kind][value=file]");
        if (kind) kind.checked = true;
        show();
      }
    });
  }
});
