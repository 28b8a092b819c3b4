// The console's entry point: sign-in and the hash router. Routes live in the URL's fragment, which
// never reaches the server; the token never appears in a URL at all.
import {ApiError, call, forgetToken, keepToken, token} from './api.js';
import {el, replace} from './dom.js';
import {configFormScreen, configsScreen, eventScreen, eventsScreen, flash, publicKeyScreen, screenChanged} from './screens.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');

function signInScreen(message) {
  nav.hidden = true;
  const tokenInput = el('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true});
  const error = el('p', {class: 'form-error', id: 'signin-error', role: 'alert', hidden: !message}, message || '');
  const form = el('form', {id: 'signin', class: 'signin'},
    el('h1', {}, 'Sign in'),
    el('div', {class: 'field'}, el('label', {for: 'token'}, 'API token'), tokenInput),
    error,
    el('button', {type: 'submit', class: 'primary', id: 'signin-submit'}, 'Sign in'));
  form.addEventListener('submit', async (submitted) => {
    submitted.preventDefault();
    keepToken(tokenInput.value.trim());
    try {
      // Any authenticated read tells a good token from a bad one.
      await call('GET', '/v1/webhooks/configs');
    } catch (failure) {
      forgetToken();
      error.textContent = failure instanceof ApiError && failure.status === 401
        ? 'That token is not valid.' : 'Sign-in failed: ' + failure.message;
      error.hidden = false;
      tokenInput.focus();
      return;
    }
    if (location.hash === '#/configs') {
      focusNewScreen();
      route();
    } else {
      location.hash = '#/configs';
    }
  });
  replace(main, form);
  tokenInput.focus();
}

/**
 * On a change of screen the focus goes to `main`, which stays while its content is replaced: the link
 * or button that led here went with the old screen, and the focus would fall back to the page's top,
 * where a keyboard or screen-reader user would have to start over. Screens with a first field to fill
 * focus it themselves.
 */
function focusNewScreen() {
  main.focus();
}

async function route() {
  if (!token()) {
    signInScreen();
    return;
  }
  nav.hidden = false;
  const [hashPath, queryText] = location.hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(queryText || '');
  const parts = hashPath.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'public-key') {
      await publicKeyScreen(main, '');
    } else if (parts[0] === 'configs' && parts[1] === 'new') {
      await configFormScreen(main, null);
    } else if (parts[0] === 'configs' && parts[1] && parts[2] === 'edit') {
      await configFormScreen(main, parts[1]);
    } else if (parts[0] === 'configs' && parts[1] && parts[2] === 'events' && parts[3]) {
      await eventScreen(main, parts[1], parts[3]);
    } else if (parts[0] === 'configs' && parts[1] && parts[2] === 'events') {
      await eventsScreen(main, parts[1], query);
    } else {
      await configsScreen(main);
    }
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) {
      forgetToken();
      signInScreen('Your token is no longer valid: sign in again.');
      return;
    }
    replace(main, el('p', {class: 'error', id: 'screen-error'}, failure instanceof ApiError
      ? failure.status + ': ' + failure.message : String(failure)));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  forgetToken();
  flash('');
  // A change of hash routes to the sign-in itself; render it here only when there is none.
  if (location.hash && location.hash !== '#') location.hash = '';
  else signInScreen();
});
window.addEventListener('hashchange', () => {
  screenChanged();
  focusNewScreen();
  route();
});
route();
