package io.portico.testing;

import io.netty.pkitesting.X509Bundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS client for listener tests: connects with a chosen SNI name, TLS version and client
 * certificate, records the certificate the server presented and sends one HTTP/1.1 request.
 */
public final class TlsProbe {
  /** What one connection saw: the server's certificate and the answer, or the failure. */
  public record Result(X509Certificate served, String answer, Exception failure) {
    /** {@code CN=…} of the presented certificate. */
    public String servedSubject() {
      return served == null ? null : served.getSubjectX500Principal().getName();
    }

    public int status() {
      return answer == null || answer.length() < 12 ? -1 : Integer.parseInt(answer.substring(9, 12));
    }
  }

  private TlsProbe() {}

  /**
   * @param serverName SNI to send, or {@code null} for none
   * @param clientCert certificate to offer when asked, or {@code null}
   * @param protocol the only TLS version to enable, or {@code null} for the defaults
   * @param request a raw HTTP/1.1 request, or {@code null} for {@code GET /}
   */
  public static Result connect(int port, String serverName, X509Bundle clientCert, String protocol, String request) {
    X509Certificate[] served = new X509Certificate[1];
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] keys = clientCert == null ? null : clientCert.toKeyManagerFactory().getKeyManagers();
      context.init(keys, new TrustManager[] {new Recording(served)}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (protocol != null) {
          parameters.setProtocols(new String[] {protocol});
        }
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        String raw = request != null ? request : "GET / HTTP/1.1\r\nhost: probe\r\nconnection: close\r\n\r\n";
        socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        String answer = readAll(socket.getInputStream());
        return new Result(served[0], answer.isEmpty() ? null : answer, null);
      }
    } catch (Exception e) {
      return new Result(served[0], null, e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = in.read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Trusts any server (the test checks which certificate it presented) and remembers it. */
  private static final class Recording implements X509TrustManager {
    private final X509Certificate[] served;

    Recording(X509Certificate[] served) {
      this.served = served;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      served[0] = chain[0];
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
