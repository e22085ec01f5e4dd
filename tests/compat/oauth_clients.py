"""Standard OAuth 2.0 libraries against the emulator's Entra ID: a client-credentials
token from requests-oauthlib and from authlib, each with client_secret_basic and
client_secret_post, on the v2 endpoint. Prints one JSON line per case."""
import json
import os
import sys

from authlib.integrations.requests_client import OAuth2Session as AuthlibSession
from oauthlib.oauth2 import BackendApplicationClient
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

authority = os.environ["AZURE_AUTHORITY_HOST"].rstrip("/")
tenant = os.environ["AZURE_TENANT_ID"]
client_id = os.environ["AZURE_CLIENT_ID"]
secret = os.environ["AZURE_CLIENT_SECRET"]
scope = sys.argv[1] if len(sys.argv) > 1 else "https://api.partnercenter.microsoft.com/.default"
token_url = f"{authority}/{tenant}/oauth2/v2.0/token"


def report(library, method, token):
    print(json.dumps({"library": library, "method": method, "token_type": token.get("token_type"),
                      "access_token": token.get("access_token")}))


# requests-oauthlib: Basic auth by passing `auth`, the body by include_client_id; Entra's
# v2 endpoint wants the scope, which fetch_token sends when given.
session = OAuth2Session(client=BackendApplicationClient(client_id=client_id))
report("requests-oauthlib", "client_secret_basic",
       session.fetch_token(token_url, auth=HTTPBasicAuth(client_id, secret), scope=[scope]))
session = OAuth2Session(client=BackendApplicationClient(client_id=client_id))
report("requests-oauthlib", "client_secret_post",
       session.fetch_token(token_url, client_id=client_id, client_secret=secret, include_client_id=True,
                           scope=[scope]))

# authlib: token_endpoint_auth_method names the method.
for method in ["client_secret_basic", "client_secret_post"]:
    session = AuthlibSession(client_id, secret, scope=scope, token_endpoint_auth_method=method)
    report("authlib", method, session.fetch_token(token_url, grant_type="client_credentials"))
