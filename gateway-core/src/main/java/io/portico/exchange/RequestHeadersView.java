package io.portico.exchange;

import io.portico.upstream.HeaderPolicy;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The request headers plugins see: the headers the upstream will get, made on first need. Until
 * then a read of a header the gateway forwards as the client sent it (not hop-by-hop, not named by
 * a {@code Connection} header, not one the gateway sets or drops) is answered from the client's
 * headers, so a plugin that only reads one (jwt-auth its {@code Authorization}, a hash balancer its
 * key) costs no copy of every header, and the exchange then filters the client's headers straight
 * into the upstream request. An edit, an iteration or a read of any other name makes the upstream
 * headers first (once) and works on them.
 */
final class RequestHeadersView implements MultiMap {
  private final MultiMap client;
  private final Consumer<MultiMap> filter;
  private String[] connectionNames;
  private MultiMap upstream;

  /**
   * @param client the client's request headers, not changed through this view
   * @param filter puts the headers the upstream gets, given the client's, into an empty map
   */
  RequestHeadersView(MultiMap client, Consumer<MultiMap> filter) {
    this.client = client;
    this.filter = filter;
  }

  /** The upstream headers if anything needed them made, else {@code null}. */
  MultiMap madeOrNull() {
    return upstream;
  }

  /** The upstream headers, made now if not yet. */
  MultiMap made() {
    if (upstream == null) {
      upstream = HttpHeaders.headers();
      filter.accept(upstream);
    }
    return upstream;
  }

  /** Where a read of {@code name} is answered: the client's map while it holds the same values. */
  private MultiMap readFor(CharSequence name) {
    if (upstream != null) {
      return upstream;
    }
    if (connectionNames == null) {
      connectionNames = HeaderPolicy.connectionNames(client);
    }
    return HeaderPolicy.forwardsUnchanged(name, connectionNames) ? client : made();
  }

  @Override
  public String get(CharSequence name) {
    return readFor(name).get(name);
  }

  @Override
  public String get(String name) {
    return readFor(name).get(name);
  }

  @Override
  public List<String> getAll(String name) {
    return readFor(name).getAll(name);
  }

  @Override
  public List<String> getAll(CharSequence name) {
    return readFor(name).getAll(name);
  }

  @Override
  public boolean contains(String name) {
    return readFor(name).contains(name);
  }

  @Override
  public boolean contains(CharSequence name) {
    return readFor(name).contains(name);
  }

  @Override
  public boolean contains(String name, String value, boolean caseInsensitive) {
    return readFor(name).contains(name, value, caseInsensitive);
  }

  @Override
  public boolean contains(CharSequence name, CharSequence value, boolean caseInsensitive) {
    return readFor(name).contains(name, value, caseInsensitive);
  }

  @Override
  public boolean isEmpty() {
    return made().isEmpty();
  }

  @Override
  public Set<String> names() {
    return made().names();
  }

  @Override
  public List<Map.Entry<String, String>> entries() {
    return made().entries();
  }

  @Override
  public Iterator<Map.Entry<String, String>> iterator() {
    return made().iterator();
  }

  @Override
  public int size() {
    return made().size();
  }

  @Override
  public MultiMap add(String name, String value) {
    made().add(name, value);
    return this;
  }

  @Override
  public MultiMap add(CharSequence name, CharSequence value) {
    made().add(name, value);
    return this;
  }

  @Override
  public MultiMap add(String name, Iterable<String> values) {
    made().add(name, values);
    return this;
  }

  @Override
  public MultiMap add(CharSequence name, Iterable<CharSequence> values) {
    made().add(name, values);
    return this;
  }

  @Override
  public MultiMap addAll(MultiMap map) {
    made().addAll(map);
    return this;
  }

  @Override
  public MultiMap addAll(Map<String, String> headers) {
    made().addAll(headers);
    return this;
  }

  @Override
  public MultiMap set(String name, String value) {
    made().set(name, value);
    return this;
  }

  @Override
  public MultiMap set(CharSequence name, CharSequence value) {
    made().set(name, value);
    return this;
  }

  @Override
  public MultiMap set(String name, Iterable<String> values) {
    made().set(name, values);
    return this;
  }

  @Override
  public MultiMap set(CharSequence name, Iterable<CharSequence> values) {
    made().set(name, values);
    return this;
  }

  @Override
  public MultiMap setAll(MultiMap map) {
    made().setAll(map);
    return this;
  }

  @Override
  public MultiMap setAll(Map<String, String> headers) {
    made().setAll(headers);
    return this;
  }

  @Override
  public MultiMap remove(String name) {
    made().remove(name);
    return this;
  }

  @Override
  public MultiMap remove(CharSequence name) {
    made().remove(name);
    return this;
  }

  @Override
  public MultiMap clear() {
    made().clear();
    return this;
  }

  @Override
  public boolean isMutable() {
    return true;
  }

  @Override
  public MultiMap copy(boolean mutable) {
    return made().copy(mutable);
  }

  @Override
  public String toString() {
    return made().toString();
  }
}
