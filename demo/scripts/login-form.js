// The page's own code: it listens to its fields as any login form does, and
// records what it saw so tests can prove the typing really happened.
window.__firstParty = [];
const record = (e) => window.__firstParty.push(`${e.type}:${e.key ?? ''}`);
for (const id of ['email', 'password', 'card']) {
  const el = document.getElementById(id);
  el.addEventListener('keydown', record);
  el.addEventListener('input', record);
}
document.getElementById('pay').addEventListener('click', record);
