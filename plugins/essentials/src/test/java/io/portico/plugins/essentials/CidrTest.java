package io.portico.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void matchesIpv4Networks() {
    Cidr net = Cidr.parse("10.1.0.0/16");
    assertThat(net.contains(Cidr.literal("10.1.255.3"))).isTrue();
    assertThat(net.contains(Cidr.literal("10.2.0.1"))).isFalse();
    assertThat(Cidr.parse("192.168.1.7").contains(Cidr.literal("192.168.1.7"))).isTrue();
    assertThat(Cidr.parse("192.168.1.7").contains(Cidr.literal("192.168.1.8"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(Cidr.literal("10.127.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.0/9").contains(Cidr.literal("10.128.0.1"))).isFalse();
  }

  @Test
  void matchesIpv6NetworksAndNeverMixesFamilies() {
    Cidr net = Cidr.parse("2001:db8::/32");
    assertThat(net.contains(Cidr.literal("2001:db8:1::5"))).isTrue();
    assertThat(net.contains(Cidr.literal("2001:db9::1"))).isFalse();
    assertThat(net.contains(Cidr.literal("10.0.0.1"))).isFalse();
  }

  @Test
  void refusesNamesAndGarbageWithoutResolving() {
    assertThat(Cidr.literal("localhost")).isNull();
    assertThat(Cidr.literal("example.com")).isNull();
    assertThat(Cidr.literal("1.2.3")).isNull();
    assertThat(Cidr.literal("")).isNull();
    assertThat(Cidr.literal(null)).isNull();
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Cidr.parse("ten/8")).hasMessageContaining("not an IP address");
  }
}
