// @ts-check
// Which form fields the scanner fills, decided from what a person would read
// (label, placeholder, aria-label) as well as what a browser's autofill reads
// (type, autocomplete, name, id), in the spirit of the Leaky Forms study
// (Senol et al., USENIX Security 2022). Pure: the page side only extracts
// attributes, so this is unit-tested in Node.

/**
 * @typedef {object} FieldAttrs
 * @property {string} tag        lower-case tag name
 * @property {string} type
 * @property {string} name
 * @property {string} id
 * @property {string} placeholder
 * @property {string} autocomplete
 * @property {string} ariaLabel
 * @property {string} label      text of the field's <label>s
 * @property {string} [role]
 * @property {string} [inputmode]
 * @property {string} [formText] the enclosing form's role/id/action and button texts
 */

/** @typedef {'email' | 'password' | 'card' | 'search' | 'other' | 'skip'} FieldKind */
/** @typedef {'login' | 'signup' | 'search' | 'checkout' | 'other'} FormKind */

const NOT_TEXT = /^(hidden|checkbox|radio|submit|button|reset|image|file|range|color|date|datetime-local|month|week|time)$/;

const WORDS = {
  // Several languages, because real forms are not all in English.
  password: /pass(?:word|wort|wd|e)?\b|\bpwd\b|\bpin\b|contrase[nñ]a|mot de passe|senha|wachtwoord|parola/,
  card: /card.?(?:num|no\b)|cc.?num|credit.?card|\bpan\b|kartennummer|num[eé]ro de carte|n[uú]mero de tarjeta|cardnumber/,
  email: /e[-_ ]?mail|courriel|correo|\bmail\b/,
  search: /search|\bquery\b|\bsuche|buscar|recherche|zoeken|cerca/,
};

const AUTOCOMPLETE = {
  password: /(^|\s)(current-password|new-password)(\s|$)/,
  card: /(^|\s)cc-number(\s|$)/,
  email: /(^|\s)email(\s|$)/,
};

/**
 * @param {FieldAttrs} f
 * @returns {FieldKind}
 */
export function classifyField(f) {
  const tag = f.tag.toLowerCase();
  const type = (f.type || (tag === 'input' ? 'text' : '')).toLowerCase();
  if (tag !== 'input' && tag !== 'textarea') return 'skip';
  if (NOT_TEXT.test(type)) return 'skip';
  const ac = f.autocomplete.toLowerCase();
  if (ac === 'off' && type === 'hidden') return 'skip';
  // What the browser itself relies on comes first.
  if (type === 'password' || AUTOCOMPLETE.password.test(ac)) return 'password';
  if (AUTOCOMPLETE.card.test(ac)) return 'card';
  if (type === 'email' || AUTOCOMPLETE.email.test(ac)) return 'email';
  if (type === 'search' || (f.role ?? '').toLowerCase() === 'searchbox') return 'search';
  // Then the words around the field, in the order a person reads them.
  const text = [f.label, f.placeholder, f.ariaLabel, f.name, f.id].join(' ').toLowerCase();
  if (WORDS.card.test(text)) return 'card';
  if (WORDS.password.test(text)) return 'password';
  if (WORDS.email.test(text)) return 'email';
  // `q` is the near-universal name of a search box.
  if (WORDS.search.test(text) || /^(q|s|k|kw|keywords?)$/i.test(f.name) || /\brole=search\b/.test((f.formText ?? '').toLowerCase())) return 'search';
  if (ac === 'username' || /user.?name|login|benutzer/.test(text)) return 'email';
  return 'other';
}

/**
 * What a form is for, from the kinds of its fields and its own words.
 * @param {FieldKind[]} kinds
 * @param {string} [formText]
 * @returns {FormKind}
 */
export function classifyForm(kinds, formText = '') {
  const t = formText.toLowerCase();
  const passwords = kinds.filter((k) => k === 'password').length;
  if (kinds.includes('card')) return 'checkout';
  if (passwords >= 2 || (passwords === 1 && /sign.?up|register|create.?account|join/.test(t))) return 'signup';
  if (passwords === 1) return 'login';
  if (kinds.includes('search')) return 'search';
  if (kinds.includes('email') && /sign.?in|log.?in/.test(t)) return 'login';
  return 'other';
}
