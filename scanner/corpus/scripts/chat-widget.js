// A third-party chat widget: it builds its own input box and listens only to
// that, which is its own business, and it never sends what the page's
// fields hold.
(() => {
  const box = document.createElement('div');
  box.id = 'chat';
  const input = document.createElement('input');
  input.placeholder = 'Chat with us';
  input.setAttribute('aria-label', 'chat message');
  box.appendChild(input);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') input.value = ''; });
  box.addEventListener('click', () => box.classList.add('open'));
  document.body.appendChild(box);
})();
