// A real OpenID Connect provider shaped like ProConnect, for the tests: same paths under
// /api/v2, same scopes and claims, user info answered as a signed JWT. Accounts are read from
// the JSON file named by PROCONNECT_ACCOUNTS ({"<sub>": {"email": …, "given_name": …, …}}) each
// time they are needed, so a test can add one before its login. The login page is the library's
// development page: any password opens the account whose `sub` is typed as the login.
//
//   node provider.mjs <port> <client_id> <client_secret> <redirect_uri> <post_logout_uri>
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri, postLogoutUri] = process.argv.slice(2);
const prefix = '/api/v2';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function accounts() {
  return JSON.parse(readFileSync(process.env.PROCONNECT_ACCOUNTS, 'utf8'));
}

const provider = new Provider(`http://127.0.0.1:${port}${prefix}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  }],
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'siret', 'uid'],
  claims: {
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
    uid: ['uid'],
  },
  features: {
    devInteractions: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  routes: {
    authorization: '/authorize',
    token: '/token',
    userinfo: '/userinfo',
    jwks: '/jwks',
    end_session: '/session/end',
  },
  jwks: { keys: [privateKey.export({ format: 'jwk' })] },
  cookies: { keys: ['cle-de-test-des-cookies-du-fournisseur'] },
  async findAccount(_ctx, sub) {
    const claims = accounts()[sub];
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
});

const handle = provider.callback();
http.createServer((req, res) => {
  if (!req.url.startsWith(prefix)) {
    res.statusCode = 404;
    res.end();
    return;
  }
  req.originalUrl = req.url;
  req.url = req.url.slice(prefix.length) || '/';
  handle(req, res);
}).listen(Number(port), '127.0.0.1', () => console.log(`ProConnect local prêt sur le port ${port}`));
