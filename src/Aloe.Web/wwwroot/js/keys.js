// Keyboard: "/" focuses the page's search box (any MudTextField with Class="aloe-search"),
// unless the user is already typing somewhere.
document.addEventListener("keydown", e => {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target;
  if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
  const search = document.querySelector(".aloe-search input");
  if (!search) return;
  e.preventDefault();
  search.focus();
  search.select();
});

// Marks the document once the interactive circuit has rendered (MainLayout calls it): browser tests wait for it before clicking.
// setCookie keeps the theme toggle's choice for a year (read on the server when the next page prerenders).
window.aloe = {
    circuitReady: () => { document.documentElement.dataset.circuit = "ready"; },
    setCookie: (name, value) => { document.cookie = `${name}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=lax`; },
};
