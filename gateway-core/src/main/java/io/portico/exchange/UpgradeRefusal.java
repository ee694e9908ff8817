package io.portico.exchange;

import io.portico.spi.Reply;
import io.portico.upstream.HeaderPolicy;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * An upstream's answer other than 101 to a WebSocket upgrade (a 401, a 404…), as the reply the
 * client gets: the upstream's status, its end-to-end headers and its body. Such answers are small;
 * a body beyond {@link #MAX_BODY} is dropped rather than held.
 */
final class UpgradeRefusal {
  static final int MAX_BODY = 64 * 1024;

  private UpgradeRefusal() {}

  static Future<Reply> of(HttpClientResponse response) {
    Reply reply = Reply.status(response.statusCode());
    MultiMap headers = HttpHeaders.headers();
    HeaderPolicy.copyResponseHeaders(response.headers(), headers);
    headers.remove(HttpHeaders.CONTENT_LENGTH); // set again for the body actually sent
    for (Map.Entry<String, String> header : headers) {
      reply = reply.withHeader(header.getKey(), header.getValue());
    }
    Reply head = reply;
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    response.handler(chunk -> {
      if (body.length() + chunk.length() <= MAX_BODY) {
        body.appendBuffer(chunk);
      } else {
        tooLarge[0] = true;
      }
    });
    Promise<Reply> done = Promise.promise();
    response.end().onComplete(ar -> done.complete(body.length() == 0 || tooLarge[0] ? head : head.withBody(body)));
    return done.future();
  }
}
