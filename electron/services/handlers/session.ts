import type { AppContext, NamespaceHandlers } from './context';

export function appHandlers(ctx: AppContext): NamespaceHandlers<'app'> {
  return { 'app.info': () => ctx.info() };
}

export function sessionHandlers(ctx: AppContext): NamespaceHandlers<'session'> {
  return {
    // Before start-up has finished nobody is signed in; the sign-in screen asks this first.
    'session.current': () => ctx.running()?.session.view() ?? { operator: null, shift: null, locked: false },
    'session.signIn': ({ username, password, counterNo }) => ctx.live().session.signIn(username, password, counterNo),
    'session.signOut': () => {
      const r = ctx.live();
      // The next operator's payer does not see the last one's name on the payer's screen.
      r.payerDisplay.reset();
      return r.session.signOut();
    },
    'session.lock': () => ctx.live().session.lock(),
    'session.unlock': ({ password }) => ctx.live().session.unlock(password),
  };
}
