// Suggestion buttons from taxonomy:isco_suggest fill the ISCO-08 input they name (data-isco-fill = its id).
// Pages that include the fragment load this file in their head block; without it the codes are still shown.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-isco-fill]");
  if (!button) return;
  const input = document.getElementById(button.dataset.iscoFill);
  if (!input) return;
  input.value = button.dataset.iscoValue;
  input.dispatchEvent(new Event("change", { bubbles: true }));
  const list = button.closest("[data-isco-suggestions]");
  if (list) {
    list.querySelectorAll("button[data-isco-fill]").forEach((other) => {
      other.setAttribute("aria-pressed", String(other === button));
    });
  }
  input.focus();
});
