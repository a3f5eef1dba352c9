// Ordinary third-party analytics: one page view, no listeners on input.
fetch('{{THIRD}}/collect/pageview?p=' + encodeURIComponent(location.pathname), { mode: 'no-cors' });
