package io.portico.plugins.jwt;

/**
 * The verified-token cache's key: the credential's text, hashed by its length and its last
 * {@value #HASHED} characters only. {@code String.hashCode} walks every character of a new string
 * on each request, and a token is hundreds of characters long (an RS256 token about 700); its tail
 * is the signature, whose characters are as good as random, so the tail spreads keys as well as the
 * whole text would. Equality still compares the whole text. Keys that share a tail only share a hash
 * bucket: just verified tokens are cached, so a client cannot fill one bucket with its own keys.
 */
final class TokenKey {
  static final int HASHED = 16;

  private final String text;
  private final int hash;

  TokenKey(String text) {
    this.text = text;
    int length = text.length();
    int h = length;
    for (int i = Math.max(0, length - HASHED); i < length; i++) {
      h = 31 * h + text.charAt(i);
    }
    this.hash = h;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TokenKey key && key.hash == hash && key.text.equals(text);
  }

  @Override
  public String toString() {
    return "TokenKey(" + text.length() + " chars)"; // never the credential itself
  }
}
