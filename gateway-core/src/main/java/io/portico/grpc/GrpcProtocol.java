package io.portico.grpc;

/** Header names and values of gRPC over HTTP/2 the gateway reads or writes. */
public final class GrpcProtocol {
  public static final String CONTENT_TYPE = "application/grpc";
  public static final String GRPC_STATUS = "grpc-status";
  public static final String GRPC_MESSAGE = "grpc-message";
  public static final String GRPC_TIMEOUT = "grpc-timeout";

  private GrpcProtocol() {}

  /**
   * Whether a request with this {@code content-type} is a gRPC call: {@code application/grpc},
   * {@code application/grpc+proto} and the like, and gRPC-Web's {@code application/grpc-web*}.
   */
  public static boolean isGrpc(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, CONTENT_TYPE, 0, CONTENT_TYPE.length())
        && (contentType.length() == CONTENT_TYPE.length() || isGrpcSuffix(contentType.charAt(CONTENT_TYPE.length())));
  }

  private static boolean isGrpcSuffix(char c) {
    return c == '+' || c == '-' || c == ';';
  }

  /**
   * {@code message} percent-encoded as {@code grpc-message} requires: the bytes of its UTF-8 form
   * outside printable ASCII, and {@code %} itself, as {@code %XX}.
   */
  public static String encodeMessage(String message) {
    if (message == null) {
      return "";
    }
    boolean plain = true;
    for (int i = 0; i < message.length() && plain; i++) {
      char c = message.charAt(i);
      plain = c >= 0x20 && c <= 0x7e && c != '%';
    }
    if (plain) {
      return message;
    }
    byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder encoded = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v >= 0x20 && v <= 0x7e && v != '%') {
        encoded.append((char) v);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
      }
    }
    return encoded.toString();
  }
}
