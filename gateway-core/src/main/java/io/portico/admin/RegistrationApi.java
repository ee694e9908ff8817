package io.portico.admin;

import io.portico.registry.InstanceRegistration;
import io.portico.registry.InstanceRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PUT} and {@code DELETE /admin/services/{service}/instances/{id}}: registration through the
 * gateway, for services that can make an HTTP call but carry no etcd client. Each {@code PUT}
 * registers or renews (the heartbeat); without one within the TTL the instance expires and leaves
 * rotation. {@code DELETE} deregisters at once.
 */
final class RegistrationApi {
  private final InstanceRegistry registry;

  RegistrationApi(InstanceRegistry registry) {
    this.registry = registry;
  }

  /** {@code rest} is what follows {@code /admin/services/}. */
  void handle(RoutingContext ctx, String rest) {
    HttpServerRequest request = ctx.request();
    String[] parts = rest.split("/", -1);
    if (parts.length != 3 || !parts[1].equals("instances")) {
      AdminReplies.error(request, 404, "not_found", "expected /admin/services/{service}/instances/{id}");
      return;
    }
    String service = parts[0];
    String id = parts[2];
    if (!AdminReplies.NAME.matcher(service).matches() || !AdminReplies.NAME.matcher(id).matches()) {
      AdminReplies.error(request, 400, "invalid_name", "service and instance id are 1 to 128 letters, digits, '.', '_' or '-'");
      return;
    }
    if (request.method() == HttpMethod.PUT) {
      AdminReplies.jsonBody(ctx).onSuccess(body -> register(request, service, id, body));
    } else if (request.method() == HttpMethod.DELETE) {
      AdminReplies.onContext(registry.deregister(service, id), ar -> {
        if (ar.failed()) {
          unavailable(request, ar.cause());
        } else if (!ar.result()) {
          AdminReplies.error(request, 404, "not_found", "no instance " + id + " of " + service + " is registered");
        } else {
          AdminApi.json(request, 200, new JsonObject().put("service", service).put("instance", id).put("status", "deregistered"));
        }
      });
    } else {
      AdminReplies.methodNotAllowed(request, "PUT, DELETE");
    }
  }

  private void register(HttpServerRequest request, String service, String id, JsonObject body) {
    InstanceRegistration registration;
    try {
      registration = InstanceRegistration.parse(body);
    } catch (InstanceRegistration.InvalidRegistration e) {
      JsonArray errors = new JsonArray();
      e.problems().forEach(p -> errors.add(new JsonObject().put("path", p.path()).put("message", p.message())));
      AdminApi.json(request, 400, new JsonObject().put("error", "invalid_instance").put("errors", errors));
      return;
    }
    AdminReplies.onContext(registry.register(service, id, registration), ar -> {
      if (ar.failed()) {
        unavailable(request, ar.cause());
        return;
      }
      AdminApi.json(request, ar.result().created() ? 201 : 200, new JsonObject()
          .put("service", service)
          .put("instance", id)
          .put("address", registration.address())
          .put("ttl_seconds", registration.ttl().toSeconds())
          .put("stored_in", registry.kind())
          .put("revision", ar.result().revision())
          .put("status", ar.result().created() ? "registered" : "renewed"));
    });
  }

  private static void unavailable(HttpServerRequest request, Throwable failure) {
    AdminReplies.error(request, 503, "registry_unavailable", "the registration was not stored: " + failure.getMessage());
  }
}
