// The site's own code: it listens to its fields as real forms do, so every
// site has first-party listeners the extension must leave alone.
for (const el of document.querySelectorAll('input')) {
  el.addEventListener('input', () => el.setAttribute('data-touched', '1'));
}
for (const b of document.querySelectorAll('button')) b.addEventListener('click', (e) => e.preventDefault());
