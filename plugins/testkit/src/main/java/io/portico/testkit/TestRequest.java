package io.portico.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** A request a test sends to a {@link TestGateway}; {@link #send()} waits for the whole answer. */
public final class TestRequest {
  private final HttpClient client;
  private final RequestOptions options;
  private Buffer body;

  TestRequest(HttpClient client, int port, HttpMethod method, String path) {
    this.client = client;
    this.options = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(path);
  }

  public TestRequest header(String name, String value) {
    options.addHeader(name, value);
    return this;
  }

  public TestRequest body(String body) {
    return body(Buffer.buffer(body));
  }

  public TestRequest body(Buffer body) {
    this.body = body;
    return this;
  }

  /** Sends the request and reads the whole answer (bounded wait). */
  public TestResponse send() {
    return Blocking.await(client.request(options).compose(request -> {
      var sent = body != null ? request.send(body) : request.send();
      return sent.compose(response -> response.body().map(b -> toResponse(response, b)));
    }));
  }

  private static TestResponse toResponse(HttpClientResponse response, Buffer body) {
    return new TestResponse(response.statusCode(), MultiMap.caseInsensitiveMultiMap().addAll(response.headers()), body);
  }
}
