"""What keeps a public Byline site standing: throttles, security headers, HTTPS.

- `throttle`: sign-in failures (django-axes per address, a ceiling per account), REST
  application passwords, comment posting and lost-password requests, counted in the shared
  cache or database so that every process and node sees the same numbers.
- `headers`: the Content-Security-Policy and the other headers every response carries, and
  HTTPS behind a trusted proxy (Secure cookies, HSTS, the redirect from http).
"""
