package dev.courier.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.http.HostLiteral.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a URL's host is read: a name for the resolver, an address, or an IP address in an ambiguous spelling. */
class HostLiteralTest {

    @ParameterizedTest(name = "{0} is {1} ({2})")
    @CsvSource({
        "api.example.com, NAME, ",
        "1.2.3.4.nip.io, NAME, ",
        "0xdeadbeef.com, NAME, ",
        "127.0.0.1, IPV4, 127.0.0.1",
        "10.0.0.255, IPV4, 10.0.0.255",
        "::1, IPV6, 0:0:0:0:0:0:0:1",
        "2001:db8::1, IPV6, 2001:db8:0:0:0:0:0:1",
        "2130706433, AMBIGUOUS, 127.0.0.1",
        "0x7f000001, AMBIGUOUS, 127.0.0.1",
        "0x7f.1, AMBIGUOUS, 127.0.0.1",
        "0177.0.0.1, AMBIGUOUS, 127.0.0.1",
        "127.1, AMBIGUOUS, 127.0.0.1",
        "127.0.1, AMBIGUOUS, 127.0.0.1",
        "127.000.000.001, AMBIGUOUS, 127.0.0.1",
        "127.0.0.1., AMBIGUOUS, 127.0.0.1",
        "0, AMBIGUOUS, 0.0.0.0",
        "0x, AMBIGUOUS, 0.0.0.0",
        "256.1.1.1, AMBIGUOUS, ",
        "1.2.3.4.5, AMBIGUOUS, ",
        "4294967296, AMBIGUOUS, ",
    })
    void aHostIsReadAsANameAnAddressOrAnAmbiguousSpelling(String host, Kind kind, String address) {
        HostLiteral literal = HostLiteral.of(host);

        assertThat(literal.kind()).isEqualTo(kind);
        assertThat(literal.address() == null ? null : literal.address().getHostAddress()).isEqualTo(address);
    }
}
