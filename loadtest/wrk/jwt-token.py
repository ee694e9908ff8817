#!/usr/bin/env python3
"""An RSA key, its JWKS and one RS256 token valid for a day, for load tests of jwt-auth.

    python3 loadtest/wrk/jwt-token.py DIR   -> writes DIR/jwt.key and DIR/jwks.json, prints the token

Issuer https://id.loadtest, audience users, subject loadtest, key id loadtest; openssl signs.
"""
import base64, json, subprocess, sys, time

work = sys.argv[1]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", f"{work}/jwt.key"], check=True, capture_output=True)
modulus = subprocess.run(["openssl", "rsa", "-in", f"{work}/jwt.key", "-noout", "-modulus"],
                         capture_output=True, text=True, check=True).stdout.strip().split("=", 1)[1]
jwks = {"keys": [{"kty": "RSA", "kid": "loadtest", "alg": "RS256", "use": "sig",
                  "n": b64(bytes.fromhex(modulus)), "e": "AQAB"}]}
with open(f"{work}/jwks.json", "w") as out:
    out.write(json.dumps(jwks))
header = b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "loadtest"}).encode())
claims = b64(json.dumps({"iss": "https://id.loadtest", "sub": "loadtest", "aud": "users",
                         "exp": int(time.time()) + 86400}).encode())
signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", f"{work}/jwt.key"],
                           input=f"{header}.{claims}".encode(), capture_output=True, check=True).stdout
print(f"{header}.{claims}.{b64(signature)}")
